// "/" focuses the search box, as on most sites with search; typing into a field is left alone.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  var box = document.getElementById("q");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

// Reading keys: j / k move between the cards of a list, o (or Enter) opens the current one, s saves and
// f follows what the page is about (its Read later and Follow buttons), ? lists the keys. Never while
// typing in a field, and never with a modifier (browser shortcuts stay the browser's).
(function () {
  var current = -1;
  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName);
  }
  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("main li.card"));
  }
  function move(step) {
    var list = cards();
    if (!list.length) return;
    if (list[current]) list[current].classList.remove("current");
    current = Math.max(0, Math.min(list.length - 1, current + step));
    var card = list[current];
    card.classList.add("current");
    var link = card.querySelector("h2 a");
    if (link) link.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    var button = document.querySelector('main button[data-key="' + key + '"]');
    if (button) button.click();
  }
  function help() {
    var box = document.getElementById("keys-help");
    if (box) {
      box.hidden = !box.hidden;
      return;
    }
    box = document.createElement("div");
    box.id = "keys-help";
    box.className = "keys-help";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Keyboard shortcuts");
    var rows = [["j / k", "next / previous story or article"], ["o", "open it"], ["s", "save this page to Read later"],
      ["f", "follow what this page is about"], ["/", "search"], ["?", "show or hide this list"]];
    var dl = document.createElement("dl");
    rows.forEach(function (r) {
      var dt = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = r[0];
      dt.appendChild(kbd);
      var dd = document.createElement("dd");
      dd.textContent = r[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    box.appendChild(dl);
    document.body.appendChild(box);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var list;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o":
        list = cards();
        if (list[current]) {
          var link = list[current].querySelector("h2 a");
          if (link) window.location.href = link.href;
        }
        break;
      case "s": press("s"); break;
      case "f": press("f"); break;
      case "?": help(); break;
      case "Escape":
        var box = document.getElementById("keys-help");
        if (box) box.hidden = true;
        return;
      default: return;
    }
    event.preventDefault();
  });
})();
