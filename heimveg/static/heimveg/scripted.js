// Runs before the page is drawn (not deferred): the stylesheet folds the phone menu only on pages
// where script runs, so without script every link stays in reach.
document.documentElement.classList.add("hv-scripted");
