// Ticks carried across searches on the invitations page (collect29 #1), as progressive
// enhancement. The page's address carries the organisations ticked so far (?chosen=…): the
// search form holds them as hidden fields and the page links include them, so without
// JavaScript those already carried are kept. This adds the boxes ticked (or unticked) since
// the page was drawn: when the search form is sent, or a page link followed, the carried
// set becomes exactly the boxes ticked now (those of earlier searches are boxes too). Focus
// and the page itself are left alone: nothing moves or announces itself.

const NAME = 'chosen'
const send = document.querySelector('form[data-select-all="organisation"]')
const search = document.querySelector('form.consult-filters')

function ticked () {
  return [...send.querySelectorAll('input[type="checkbox"][name="organisation"]')]
    .filter((box) => box.checked)
    .map((box) => box.value)
}

if (send && search) {
  search.addEventListener('submit', () => {
    for (const old of search.querySelectorAll(`input[type="hidden"][name="${NAME}"]`)) old.remove()
    const fields = ticked().map((value) => {
      const field = document.createElement('input')
      field.type = 'hidden'
      field.name = NAME
      field.value = value
      return field
    })
    search.prepend(...fields)
  })
  // The page links (GOV.UK pagination), "Clear filters" and "Add an organisation" (which
  // comes back here): the ticks go with them.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('.govuk-pagination a, form.consult-filters a, a[data-carry-ticks]')
    if (!link) return
    const url = new URL(link.href, window.location.href)
    url.searchParams.delete(NAME)
    for (const value of ticked()) url.searchParams.append(NAME, value)
    link.href = url.toString()
  })
}
