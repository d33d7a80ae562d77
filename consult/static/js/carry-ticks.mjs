// Ticks carried across pages on the invitations page (collect29 #1), as progressive
// enhancement. The page's address carries the organisations ticked so far (?chosen=…) and the
// page links include them, so without JavaScript those already carried are kept. A search
// goes through the invitations form (its fields and button belong to it, tidy30), the boxes
// with it, and the server carries every box ticked then. This adds, to the page links, the
// boxes ticked (or unticked) since the page was drawn: when a page link is
// followed, the carried set becomes exactly the boxes ticked now (those of earlier searches
// are boxes too). Focus and the page itself are left alone: nothing moves or announces itself.

// More ticks than the address can carry (the form's data-carry-max, the page's cap, fixc29
// #1) are never dropped silently: the search or link waits, and the page says why.

const NAME = 'chosen'
const send = document.querySelector('form[data-select-all="organisation"]')
const search = document.querySelector('form.consult-filters')
const WARNING = 'ticks-over-cap-now'

function ticked () {
  return [...send.querySelectorAll('input[type="checkbox"][name="organisation"]')]
    .filter((box) => box.checked)
    .map((box) => box.value)
}

// True when the ticks can go with the search or link; else says so above the search form,
// focused so that it is read and seen, and the caller stops the search or link.
function fits (values) {
  const most = Number(send.dataset.carryMax)
  let warning = document.getElementById(WARNING)
  if (!most || values.length <= most) {
    warning?.remove()
    return true
  }
  if (!warning) {
    warning = document.createElement('p')
    warning.id = WARNING
    warning.className = 'govuk-error-message'
    warning.tabIndex = -1
    search.before(warning)
  }
  warning.textContent = `You have ticked ${values.length} organisations, but at most ${most} ` +
    'can stay ticked across searches and pages. Send invitations to those ticked now, or ' +
    `untick ${values.length - most}, before searching or changing page.`
  warning.focus()
  return false
}

if (send && search) {
  // A search goes with the invitations form (its "Apply filters" button, inside the search
  // form, belongs to it): more ticks than can be carried stop it, and the page says why.
  send.addEventListener('submit', (event) => {
    if (event.submitter && search.contains(event.submitter) && !fits(ticked())) {
      event.preventDefault()
    }
  })
  // The page links (GOV.UK pagination), "Clear filters" and "Add an organisation" (which
  // comes back here): the ticks go with them.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('.govuk-pagination a, form.consult-filters a, a[data-carry-ticks]')
    if (!link) return
    const values = ticked()
    if (!fits(values)) {
      event.preventDefault()
      return
    }
    const url = new URL(link.href, window.location.href)
    url.searchParams.delete(NAME)
    for (const value of values) url.searchParams.append(NAME, value)
    link.href = url.toString()
  })
}
