// Phone navigation. sphinx-book-theme 1.3 shows its own menu and contents buttons in the article
// header, but pydata-sphinx-theme 0.17 opens its drawers only from the first .primary-toggle and
// .secondary-toggle of the page: the navbar's, which is hidden at phone width. A tap on a visible
// button is forwarded to the bound one while that one is hidden.
document.addEventListener("DOMContentLoaded", () => {
  for (const name of ["primary-toggle", "secondary-toggle"]) {
    const [bound, ...others] = document.querySelectorAll(`button.${name}`);
    if (!bound) continue;
    for (const button of others) {
      button.addEventListener("click", (event) => {
        // Only where the drawers are used (below the theme's 960 px breakpoint) and the bound
        // button is off screen; wider, the theme's own handlers stay in charge.
        if (!window.matchMedia("(max-width: 959.98px)").matches || bound.offsetParent !== null) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        bound.click();
      });
    }
  }
});
