// Progressive enhancement only: every page works without JavaScript.
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()

// The Back link keeps what was typed: once a page's answers have changed, following it saves
// them first (unchecked, as "Save and come back later" does), then goes to the page before.
const form = document.querySelector('form[data-save-on-back]')
const back = document.querySelector('a.govuk-back-link')
if (form && back) {
  let changed = false
  const mark = () => { changed = true }
  form.addEventListener('input', mark)
  form.addEventListener('change', mark)
  back.addEventListener('click', (event) => {
    if (!changed) return
    event.preventDefault()
    const action = document.createElement('input')
    action.type = 'hidden'
    action.name = 'action'
    action.value = 'back'
    form.appendChild(action)
    form.submit()
  })
}
