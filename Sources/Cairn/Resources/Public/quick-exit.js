// Quick exit: leave for an everyday site at once, replacing this page in the history so Back
// does not return here, and end the session on the way. Without JavaScript the link itself
// does the same through the server (/my/exit).
(function () {
  function leave(link) {
    var target = link.getAttribute('data-quick-exit');
    try { fetch(link.getAttribute('href'), { credentials: 'same-origin', keepalive: true, redirect: 'manual' }); } catch (e) { /* leave anyway */ }
    window.location.replace(target);
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('[data-quick-exit]') : null;
    if (link) { event.preventDefault(); leave(link); return; }
    var print = event.target.closest ? event.target.closest('[data-print]') : null;
    if (print) { event.preventDefault(); window.print(); }
  });
  // Escape pressed twice quickly leaves too.
  var last = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') { return; }
    var now = Date.now();
    if (now - last < 800) {
      var link = document.querySelector('[data-quick-exit]');
      if (link) { leave(link); }
    }
    last = now;
  });
}());
