// The copy button beside the ssh command: copies the command's text to the clipboard.
// Served as a file by resume-ssh (no inline script: the page's CSP forbids it).
"use strict";
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var target = document.getElementById(button.getAttribute("data-copy"));
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(target.textContent.trim()).then(
      function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      },
      function () { button.textContent = "Press Ctrl+C"; }
    );
  });
});
