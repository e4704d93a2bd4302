// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // "Copy" buttons for citations appear only where the clipboard can be written.
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      var target = document.querySelector(button.getAttribute("data-copy"));
      if (!target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }
  // Print every source list and long list open, so a printed page carries its sources and its lists.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) {
      if (!d.open) { d.setAttribute("data-print-opened", ""); d.open = true; }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.open = false; d.removeAttribute("data-print-opened");
    });
  });
})();
