/* Behaviours that templates ask for with data attributes, instead of inline handlers (the
 * Content-Security-Policy forbids inline script):
 *   <form data-confirm="确定…？">          asks before submitting;
 *   <select data-autosubmit>               submits its form when changed (list filters);
 *   <select data-fill="period">            copies the chosen value into the form's field of that name. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.form || !el.hasAttribute) {
      return;
    }
    var target = el.getAttribute("data-fill");
    if (target && el.value && el.form.elements[target]) {
      el.form.elements[target].value = el.value;
      el.value = "";
    }
    if (el.hasAttribute("data-autosubmit")) {
      el.form.submit();
    }
  });
})();
