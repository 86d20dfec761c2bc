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

  // Likes: the form posts without a reload; the server answers JSON when
  // asked for it. Without this the form posts and redirects back.
  function setupLikes() {
    document.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (!form.classList || !form.classList.contains("like-form") || !window.fetch) return;
      ev.preventDefault();
      var data = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" } })
        .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
        .then(function (st) {
          form.querySelector(".like-count").textContent = String(st.likes);
          form.querySelector("input[name=like]").value = st.liked ? "0" : "1";
          var b = form.querySelector(".like-button");
          b.setAttribute("aria-pressed", st.liked ? "true" : "false");
          b.textContent = st.liked ? "\u2665 Liked" : "\u2661 Like";
        })
        .catch(function () { form.submit(); });
    });
  }

  // "Show more replies" loads the thread page and moves its replies in
  // place of the link; the link itself works without this.
  function setupMoreReplies() {
    document.addEventListener("click", function (ev) {
      var link = ev.target.closest && ev.target.closest("a.show-more-replies");
      if (!link || !window.fetch || !window.DOMParser) return;
      ev.preventDefault();
      var li = link.closest("li.comment");
      fetch(link.href, { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
        .then(function (text) {
          var doc = new DOMParser().parseFromString(text, "text/html");
          var items = doc.querySelectorAll(".thread-list > li.comment");
          var after = li;
          // The first item is the thread's own comment, already shown.
          for (var i = 1; i < items.length; i++) {
            var node = document.importNode(items[i], true);
            after.parentNode.insertBefore(node, after.nextSibling);
            after = node;
          }
          var more = doc.querySelector("a.more-comments");
          if (more) {
            link.href = more.href;
            after.querySelector("article").appendChild(link.parentNode);
          } else {
            link.parentNode.remove();
          }
        })
        .catch(function () { window.location = link.href; });
    });
  }

  function start() {
    setupReply();
    setupCounters();
    setupLikes();
    setupMoreReplies();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Following, post likes and shares without a reload. The forms work without
// this: each posts and comes back with a 303. Here they are sent with fetch
// and Accept: application/json to the same address, and the page is updated
// from the answer; any failure falls back to sending the form.
(function () {
  "use strict";

  function send(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (res) {
      if (!res.ok) throw new Error("status " + res.status);
      return res.json();
    });
  }

  function plural(n, one, many) { return n === 1 ? "1 " + one : n + " " + many; }

  function onFollow(form) {
    var input = form.querySelector("input[name=follow]");
    var button = form.querySelector("button");
    var handle = form.getAttribute("data-handle");
    button.disabled = true;
    return send(form).then(function (st) {
      input.value = st.following ? "0" : "1";
      button.textContent = st.following ? "Following" : "Follow";
      button.setAttribute("aria-pressed", st.following ? "true" : "false");
      document.querySelectorAll("[data-handle]").forEach(function (el) {
        if (el.getAttribute("data-handle") !== handle) return;
        if (el.classList.contains("followers-count")) el.textContent = st.followers_count;
        if (el.classList.contains("followers")) el.textContent = plural(st.followers_count, "follower", "followers");
      });
    }).finally(function () { button.disabled = false; });
  }

  function onLike(form) {
    var input = form.querySelector("input[name=like]");
    var button = form.querySelector("button");
    var count = form.querySelector(".post-like-count");
    return send(form).then(function (st) {
      input.value = st.liked ? "0" : "1";
      button.textContent = st.liked ? "\u2665 Liked" : "\u2661 Like";
      button.setAttribute("aria-pressed", st.liked ? "true" : "false");
      if (count) count.textContent = st.likes;
    });
  }

  function onShare(form) {
    var url = form.getAttribute("data-url");
    var status = form.querySelector(".share-status");
    var count = form.querySelector(".share-count");
    var copied = navigator.clipboard && navigator.clipboard.writeText
      ? navigator.clipboard.writeText(url) : Promise.reject(new Error("no clipboard"));
    return copied.then(function () {
      if (status) status.textContent = "Link copied.";
    }, function () {
      if (status) status.textContent = url;
    }).then(function () {
      return send(form);
    }).then(function (st) {
      if (count) count.textContent = st.shares;
    });
  }

  var handlers = { "follow-form": onFollow, "post-like-form": onLike, "share-form": onShare };

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form || !form.classList || !window.fetch || !window.URLSearchParams) return;
    for (var cls in handlers) {
      if (form.classList.contains(cls)) {
        ev.preventDefault();
        handlers[cls](form).catch(function () { form.submit(); });
        return;
      }
    }
  });
})();

// Moderation. Reporting a comment without leaving the page, and a "Select
// all" box for the queue's bulk actions. Both forms work without this.
(function () {
  "use strict";

  function onReport(ev) {
    var form = ev.target;
    if (!form || !form.classList || !form.classList.contains("report-form") || !window.fetch || !window.URLSearchParams) return;
    ev.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (res) {
      if (!res.ok) throw new Error("status " + res.status);
      var done = document.createElement("p");
      done.className = "report-done";
      done.setAttribute("role", "status");
      done.textContent = "Thank you. The moderators will look at it.";
      form.replaceWith(done);
    }).catch(function () { form.submit(); });
  }

  function setupSelectAll() {
    var bar = document.querySelector(".bulk-actions");
    var boxes = document.querySelectorAll('.queue-list input[name="ids"]');
    if (!bar || boxes.length < 2) return;
    var label = document.createElement("label");
    var all = document.createElement("input");
    all.type = "checkbox";
    all.className = "select-all";
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
    });
    label.appendChild(all);
    label.appendChild(document.createTextNode(" Select all "));
    bar.insertBefore(label, bar.firstChild);
  }

  // "Report" opens the page's one report form under the comment, instead
  // of the report page it links to.
  function onReportLink(ev) {
    var link = ev.target;
    if (!link || !link.classList || !link.classList.contains("report-link")) return;
    var tpl = document.getElementById("report-form-template");
    if (!tpl || !tpl.content) return;
    ev.preventDefault();
    var actions = link.parentNode;
    var open = actions.querySelector(".report-form");
    if (open) { open.remove(); return; }
    var form = tpl.content.firstElementChild.cloneNode(true);
    form.action = link.href.split("?")[0];
    var id = form.action.split("/").slice(-2)[0];
    form.querySelectorAll("[id]").forEach(function (el) { el.id = el.id + "-" + id; });
    form.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = el.htmlFor + "-" + id; });
    actions.appendChild(form);
    form.querySelector("select").focus();
  }

  document.addEventListener("submit", onReport);
  document.addEventListener("click", onReportLink);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupSelectAll);
  } else {
    setupSelectAll();
  }
})();

// The editor's file input: the file is uploaded at once with
// XMLHttpRequest (fetch reports no upload progress) while a progress bar
// fills. The first upload becomes the post's video or picture (media_id);
// later images and videos are inserted into the text as Markdown. Without this script
// the file goes with the form when it is submitted.
(function () {
  "use strict";

  var box = document.querySelector(".upload[data-upload-url]");
  if (!box || !window.FormData || !window.XMLHttpRequest) return;
  var input = box.querySelector("input[type=file]");
  var hidden = box.querySelector("input[name=media_id]");
  var bar = box.querySelector("progress");
  var status = box.querySelector(".upload-status");
  var body = document.getElementById("w-body");
  if (!input || !hidden || !bar || !status) return;

  function insert(text) {
    if (!body || !text) return;
    var at = typeof body.selectionStart === "number" ? body.selectionStart : body.value.length;
    var before = body.value.slice(0, at), after = body.value.slice(at);
    var pad = before && !/\n\n$/.test(before) ? "\n\n" : "";
    body.value = before + pad + text + "\n\n" + after;
  }

  function done(xhr, file) {
    input.disabled = false;
    var res = null;
    try { res = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's error page */ }
    if (xhr.status !== 201 || !res) {
      bar.hidden = true;
      status.textContent = (res && res.error && res.error.message) || "The upload failed (" + xhr.status + ").";
      return;
    }
    bar.value = 100;
    input.value = ""; // uploaded: the form must not send it again
    if (!hidden.value) {
      hidden.value = String(res.id);
      status.textContent = "Uploaded " + file.name + ": it is the post's " + res.kind + ".";
    } else if (res.markdown) {
      insert(res.markdown);
      status.textContent = "Uploaded " + file.name + ": the image is in the text.";
    } else {
      status.textContent = "Uploaded " + file.name + ". A post has one video; this one is not used.";
    }
    box.setAttribute("data-uploaded", String(res.id));
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var fd = new FormData();
    fd.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", box.getAttribute("data-upload-url"));
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) bar.value = Math.floor(ev.loaded * 100 / ev.total);
    });
    xhr.addEventListener("load", function () { done(xhr, file); });
    xhr.addEventListener("error", function () {
      input.disabled = false;
      bar.hidden = true;
      status.textContent = "The upload failed: the connection was lost.";
    });
    bar.hidden = false;
    bar.value = 0;
    box.removeAttribute("data-uploaded");
    status.textContent = "Uploading " + file.name + "…";
    input.disabled = true;
    xhr.send(fd);
  });
})();
