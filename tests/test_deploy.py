"""The deployment guide's nginx configuration is valid (`nginx -t`) and, run in front of a real cupure with
the guide's settings, serves it over HTTPS with Secure cookies, HSTS and a Content-Security-Policy."""

import re
import shutil
import signal
import subprocess
import time

import httpx
import pytest

from .server import ROOT, free_port, live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if shutil.which("/usr/sbin/nginx") else None)


@pytest.mark.skipif(
    not NGINX, reason="nginx is not installed (Debian: apt-get install nginx; `make test` installs it when run as root)"
)
def test_guide_nginx_configuration_passes_nginx_t(tmp_path):
    conf = guide_nginx_conf(tmp_path)
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def guide_nginx_conf(tmp_path, upstream_port: int = 8000, https_port: int = 443, http_port: int = 80):
    """The guide's nginx block as written, but for this machine: a throwaway self-signed certificate in
    place of the real one, and the given ports."""
    guide = (ROOT / "docs" / "deploy.md").read_text()
    site = re.search(r"```nginx\n(.*?)```", guide, re.S).group(1)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site = site.replace("/etc/letsencrypt/live/news.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/news.example.org/privkey.pem", str(key))
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl").replace(
        "listen 80;", f"listen 127.0.0.1:{http_port};"
    )
    (tmp_path / "cupure.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/cupure.conf;\n}}\n"
    )
    return tmp_path / "nginx.conf"


@pytest.mark.skipif(
    not NGINX, reason="nginx is not installed (Debian: apt-get install nginx; `make test` installs it when run as root)"
)
def test_behind_the_guides_nginx_cookies_are_secure_with_hsts_and_csp(tmp_path):
    settings = {
        "CUPURE_ALLOWED_HOSTS": "news.example.org,127.0.0.1",
        "CUPURE_CSRF_TRUSTED_ORIGINS": "https://news.example.org",
        "CUPURE_HTTPS": "on",
    }
    with live_site(tmp_path, **settings) as site:
        https_port, http_port = free_port(), free_port()
        conf = guide_nginx_conf(tmp_path, int(site.url.rsplit(":", 1)[1]), https_port, http_port)
        proxy = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"], stderr=subprocess.PIPE
        )
        try:
            with httpx.Client(verify=False, headers={"Host": "news.example.org"}, timeout=10) as c:
                for _ in range(50):
                    try:
                        page = c.get(f"https://127.0.0.1:{https_port}/accounts/login/")
                        break
                    except httpx.ConnectError:
                        time.sleep(0.1)
                assert page.status_code == 200
                assert page.headers["strict-transport-security"].startswith("max-age=31536000")
                csp = page.headers["content-security-policy"]
                assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
                assert "upgrade-insecure-requests" in csp
                csrf = page.headers["set-cookie"]
                assert "csrftoken=" in csrf and "Secure" in csrf
                plain = c.get(f"http://127.0.0.1:{http_port}/", follow_redirects=False)
                assert plain.status_code == 301 and plain.headers["location"].startswith("https://news.example.org")
            # Straight to the application (not through the proxy), a forged X-Forwarded-Proto is what the
            # guide's nginx overwrites; over plain HTTP nothing claims HTTPS.
            direct = httpx.get(site.url + "/", headers={"Host": "news.example.org"})
            assert direct.status_code == 200 and "strict-transport-security" not in direct.headers
        finally:
            proxy.send_signal(signal.SIGQUIT)
            proxy.wait(timeout=10)
