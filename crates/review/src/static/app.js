// The workspace's only script (served from /static, so the CSP can forbid inline script): moving rows in the edit
// form, textareas that grow with their text, confirmation before irreversible decisions, and keeping the scroll
// position across a save.
(function () {
  'use strict';
  document.querySelectorAll('button.up,button.down').forEach(function (b) {
    b.addEventListener('click', function () {
      var tr = b.closest('tr'), tb = tr.parentNode;
      var up = b.classList.contains('up');
      var o = up ? tr.previousElementSibling : tr.nextElementSibling;
      if (!o) return;
      if (up) tb.insertBefore(tr, o); else tb.insertBefore(o, tr);
      var n = 1;
      tb.querySelectorAll('input.order').forEach(function (i) { i.value = n++; });
    });
  });
  function grow(t) { t.style.height = 'auto'; t.style.height = (t.scrollHeight + 2) + 'px'; }
  document.querySelectorAll('textarea.grow').forEach(function (t) {
    grow(t);
    t.addEventListener('input', function () { grow(t); });
  });
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
  // Remember which section was being edited so that the page after a save opens there, not at the top.
  var edit = document.querySelector('form.edit');
  if (edit) {
    edit.addEventListener('focusin', function (e) {
      var section = e.target.closest('fieldset[id]');
      var at = edit.querySelector('input[name=at]');
      if (section && at) at.value = section.id;
    });
  }
})();
