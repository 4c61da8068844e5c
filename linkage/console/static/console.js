// Keyboard shortcuts for the stewards' console, written by hand (no library, nothing from the internet).
// An element with data-key="m" is clicked when M is pressed, unless the steward is typing in a field.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "q") { window.location.assign("/queue"); return; }
    var element = document.querySelector('[data-key="' + key + '"]');
    if (element) {
      event.preventDefault();
      element.click();
    }
  });
  // Once a decision is sent, further presses must not send it twice.
  document.addEventListener("submit", function (event) {
    var buttons = event.target.querySelectorAll("button");
    window.setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
  });
})();
