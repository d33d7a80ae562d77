// "Select all on this page" for a list of checkboxes (the organisations to invite), as
// progressive enhancement: the button is made here, so without JavaScript there is none and
// every checkbox still works one by one.
//
// The container opts in with data-select-all="<the checkboxes' name>"; the button (a GOV.UK
// secondary button, type="button" so it never sends the form) goes at its top. It ticks every
// box that can be ticked (disabled ones are left alone), or, once all are ticked, unticks
// them, and its words say which it will do. A polite live region says how many are ticked.
// Boxes inside an element marked data-select-all-skip (the invitations page's ticks carried
// from earlier searches, listed above the results) are not this page's: the button neither
// ticks nor unticks them, nor counts them (fixc29 #2).

const SELECT = 'Select all on this page'
const DESELECT = 'Deselect all on this page'

function enhance (container) {
  const name = container.dataset.selectAll
  const boxes = [...container.querySelectorAll('input[type="checkbox"]')].filter(
    (box) => box.name === name && !box.disabled && !box.closest('[data-select-all-skip]')
  )
  if (!boxes.length) return
  const group = document.createElement('div')
  group.className = 'govuk-button-group'
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary'
  button.dataset.selectAllButton = ''
  const status = document.createElement('span')
  status.className = 'govuk-visually-hidden'
  status.setAttribute('role', 'status')
  group.append(button, status)
  container.prepend(group)

  const allTicked = () => boxes.every((box) => box.checked)
  const show = () => {
    button.textContent = allTicked() ? DESELECT : SELECT
  }
  button.addEventListener('click', () => {
    const tick = !allTicked()
    for (const box of boxes) box.checked = tick
    show()
    const ticked = boxes.filter((box) => box.checked).length
    status.textContent = `${ticked} of ${boxes.length} ticked on this page`
  })
  container.addEventListener('change', show)
  // Back to this page from the browser's cache keeps the boxes as they were left.
  window.addEventListener('pageshow', show)
  show()
}

for (const container of document.querySelectorAll('[data-select-all]')) enhance(container)
