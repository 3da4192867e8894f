"""The deployment guide's nginx configuration is valid: checked with `nginx -t`."""
import re
import shutil
import subprocess

import pytest

from .server import ROOT

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if shutil.which("/usr/sbin/nginx") else None)


@pytest.mark.skipif(not NGINX, reason="nginx is not installed (Debian: apt-get install nginx; `make test` installs it "
                                      "when run as root)")
def test_guide_nginx_configuration_passes_nginx_t(tmp_path):
    guide = (ROOT / "docs" / "deploy.md").read_text()
    site = re.search(r"```nginx\n(.*?)```", guide, re.S).group(1)
    # The certificate paths exist on a real server only: stand in a throwaway self-signed pair.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    site = site.replace("/etc/letsencrypt/live/news.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/news.example.org/privkey.pem", str(key))
    (tmp_path / "cupure.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/cupure.conf;\n}}\n")
    result = subprocess.run([NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
