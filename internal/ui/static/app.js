// Headline: progressive enhancement only. Every page works without this
// file; with it, "Reply" moves the comment form under the comment instead of
// reloading the page, and the comment box counts characters.
(function () {
  "use strict";

  function setupReply() {
    var respond = document.getElementById("respond");
    if (!respond) return;
    var form = respond.querySelector("form");
    var parent = form && form.querySelector("input[name=parent_id]");
    var line = respond.querySelector(".replying-to");
    var nameEl = line && line.querySelector(".reply-name");
    var body = form && form.querySelector("textarea[name=body]");
    if (!parent || !line || !nameEl) return;

    // A marker remembers where the form lives, to put it back on cancel.
    var home = document.createComment("respond");
    respond.parentNode.insertBefore(home, respond);

    function cancel() {
      parent.value = "";
      line.hidden = true;
      home.parentNode.insertBefore(respond, home.nextSibling);
    }

    document.addEventListener("click", function (ev) {
      var link = ev.target.closest && ev.target.closest("a.reply-link");
      if (link) {
        var li = link.closest("li.comment");
        if (!li) return;
        ev.preventDefault();
        parent.value = link.getAttribute("data-reply-to") || "";
        nameEl.textContent = link.getAttribute("data-reply-name") || "a comment";
        line.hidden = false;
        li.querySelector("article").appendChild(respond);
        if (body) body.focus();
        return;
      }
      var c = ev.target.closest && ev.target.closest("a.cancel-reply");
      if (c && respond.contains(c)) {
        ev.preventDefault();
        cancel();
        if (body) body.focus();
      }
    });
  }

  function setupCounters() {
    var boxes = document.querySelectorAll("textarea[data-counter]");
    Array.prototype.forEach.call(boxes, function (box) {
      var out = document.getElementById(box.getAttribute("data-counter"));
      var max = parseInt(box.getAttribute("maxlength"), 10);
      if (!out || !max) return;
      function update() {
        // Count characters (code points), as the server does.
        var n = Array.from(box.value).length;
        out.textContent = n + " / " + max;
        out.classList.toggle("over", n > max);
      }
      out.hidden = false;
      box.addEventListener("input", update);
      update();
    });
  }

  function start() {
    setupReply();
    setupCounters();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
