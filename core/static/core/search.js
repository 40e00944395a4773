// Enter in a search field that fetches its results (hx-get) searches; it does not send the form around it
// (a step's form, such as an extract's, would otherwise be sent with what was chosen before the search).
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key === "Enter" && field.matches && field.matches("input[type=search][hx-get]")) {
    event.preventDefault();
    if (window.htmx) {
      window.htmx.trigger(field, "search");
    }
  }
});
