// Progressive enhancement only: every page works without JavaScript.
import { CharacterCount, createAll, initAll } from '../govuk/govuk-frontend.min.js'

// GOV.UK's character count counts a text's UTF-16 units: an emoji (or any character outside
// the Basic Multilingual Plane) counted 2, while the server's limit counts characters (code
// points, Python's len): 2,600 emoji read "200 characters too many" and were accepted
// (smoke17). This count is the server's. A word count is GOV.UK's own.
class CodePointCount extends CharacterCount {
  updateCount () {
    super.updateCount()
    if (!this.config.maxwords) this.count = Array.from(this.$textarea.value).length
  }
}

createAll(CodePointCount)
// initAll then finds each character count already started by CodePointCount: that, and
// only that, is not an error.
initAll({
  onError (error, context) {
    const started = error.name === 'InitError' && context.component === CharacterCount
    if (!started) console.log(error)
  }
})

// The Back link keeps what was typed: once a page's answers have changed, following it saves
// them first (unchecked, as "Save and come back later" does), then goes to the page before.
// Leaving the page any other way without a button (the browser's Back, a phone's swipe,
// another tab, closing it) saves them too, unchecked, into the draft: a "draft" save sent
// as the page is hidden (fixc17). The server never overwrites a colleague's newer answer
// with it (the page's usual clash rules), and answers nothing. Without JavaScript, a page
// is saved by its buttons only, as before.
const form = document.querySelector('form[data-save-on-back]')
if (form) {
  const back = document.querySelector('a.govuk-back-link')
  let changed = false
  let submitting = false
  const mark = () => { changed = true }
  form.addEventListener('input', mark)
  form.addEventListener('change', mark)
  form.addEventListener('submit', () => { submitting = true })
  if (back) {
    back.addEventListener('click', (event) => {
      if (!changed) return
      event.preventDefault()
      const action = document.createElement('input')
      action.type = 'hidden'
      action.name = 'action'
      action.value = 'back'
      form.appendChild(action)
      submitting = true // form.submit() fires no submit event
      form.submit()
    })
  }
  const saveDraft = () => {
    if (!changed || submitting || !navigator.sendBeacon) return
    const data = new FormData(form)
    data.set('action', 'draft')
    // Not form.action: the page's buttons are named "action", and would shadow it.
    const address = new URL(form.getAttribute('action') || '', location.href).href
    if (navigator.sendBeacon(address, data)) changed = false
  }
  window.addEventListener('pagehide', saveDraft)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveDraft()
  })
  // Back to this page from the browser's memory after a button sent it: typing saves again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) submitting = false
  })
}

// "Where is your organisation based?" reads "Where do you live?" once "As an individual" is
// chosen, and the organisation's area (answered for it) is unticked: it is not where the
// person lives (smoke17). An area chosen after that is theirs: the page says so to the
// server (area_for), which otherwise asks again (without JavaScript, the page drawn again).
const areaSet = document.querySelector('fieldset[data-individual-legend]')
if (areaSet && areaSet.form) {
  const legend = areaSet.querySelector('legend')
  const hint = areaSet.querySelector('.govuk-hint')
  const areaFor = document.createElement('input')
  areaFor.type = 'hidden'
  areaFor.name = 'area_for'
  areaSet.form.appendChild(areaFor)
  const individual = () => {
    const chosen = areaSet.form.querySelector('input[name=answering_as]:checked')
    return Boolean(chosen) && chosen.value === 'individual'
  }
  const word = (switching) => {
    const asIndividual = individual()
    legend.textContent = asIndividual ? areaSet.dataset.individualLegend : areaSet.dataset.organisationLegend
    if (hint) hint.hidden = asIndividual
    if (!switching || !asIndividual) return
    const ticked = areaSet.querySelector('input[name=area]:checked')
    if (ticked && ticked.value === areaSet.dataset.organisationArea) ticked.checked = false
  }
  for (const radio of areaSet.form.querySelectorAll('input[name=answering_as]')) {
    radio.addEventListener('change', () => word(true))
  }
  for (const radio of areaSet.querySelectorAll('input[name=area]')) {
    radio.addEventListener('change', () => { areaFor.value = individual() ? 'individual' : '' })
  }
  word(false)
}

// A link to one field ("Change" on Check your answers: the page's address with #field)
// lands with the whole question in view, as GOV.UK's error summary does: the browser puts
// the field itself at the top of the window, hiding its question (the legend of a set of
// radios or checkboxes, a text box's label) above it; this scrolls the question's form
// group into view instead and focuses the field. Without JavaScript the style sheet's
// scroll-margin keeps room above the field for its question.
function showTargetQuestion () {
  let field = null
  try {
    field = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))
  } catch (error) {
    return // a malformed address: nothing to show
  }
  if (!field || !field.matches('input, textarea, select')) return
  const group = field.closest('.govuk-form-group')
  if (group) group.scrollIntoView({ block: 'start' })
  field.focus({ preventScroll: Boolean(group) })
}
if (document.readyState === 'complete') {
  showTargetQuestion()
} else {
  window.addEventListener('load', () => window.requestAnimationFrame(showTargetQuestion))
}

// The question builder: a field that applies to some kinds of question only (the character
// limit to text, the options to choices, "Why do you say that?" to agreement scales) shows
// only while one of those kinds is chosen. A field with an error message always shows.
const kindControl = document.querySelector('[data-kind-control] select')
if (kindControl) {
  const showFieldsForKind = () => {
    for (const part of document.querySelectorAll('[data-for-kinds]')) {
      const applies = part.dataset.forKinds.split(' ').includes(kindControl.value)
      part.hidden = !applies && !part.querySelector('.govuk-form-group--error')
    }
  }
  kindControl.addEventListener('change', showFieldsForKind)
  showFieldsForKind()
}

// A slow review action (merging or splitting themes: a few seconds on a large theme) says it
// is working once its button is pressed, rather than waiting silently: the button opts in with
// data-busy="<what it says meanwhile>", shows those words and is disabled (it has no name, so
// nothing it would send is lost), and a polite status says the same to screen readers.
// Without JavaScript the form is sent as before. Back to the page from the browser's cache
// gives the button back as it was.
for (const button of document.querySelectorAll('button[data-busy]')) {
  const form = button.form
  if (!form) continue
  const words = button.textContent.trim()
  const status = document.createElement('span')
  status.className = 'govuk-visually-hidden'
  status.setAttribute('role', 'status')
  button.after(status)
  form.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return
    button.textContent = button.dataset.busy
    button.disabled = true
    button.setAttribute('aria-disabled', 'true')
    status.textContent = button.dataset.busy
  })
  window.addEventListener('pageshow', () => {
    button.textContent = words
    button.disabled = false
    button.removeAttribute('aria-disabled')
    status.textContent = ''
  })
}

// A date box the browser cannot read (31 February, half a date) sends nothing, so the
// filter would be dropped without a word (smoke17): the form is not sent, and the box says
// why, as a GOV.UK error message. The server says so too of a date it cannot use.
for (const form of document.querySelectorAll('form[method="get"]')) {
  const boxes = form.querySelectorAll('input[type="date"]')
  if (!boxes.length) continue
  form.addEventListener('submit', (event) => {
    let first = null
    for (const box of boxes) {
      const group = box.closest('.govuk-form-group')
      const id = `${box.id}-error`
      document.getElementById(id)?.remove()
      group?.classList.remove('govuk-form-group--error')
      box.classList.remove('govuk-input--error')
      // Only this message's id: a hint's stays (review fixr17b #11).
      const described = (box.getAttribute('aria-describedby') || '').split(/\s+/).filter((token) => token && token !== id)
      if (described.length) box.setAttribute('aria-describedby', described.join(' '))
      else box.removeAttribute('aria-describedby')
      if (!box.validity.badInput) continue
      const label = form.querySelector(`label[for="${box.id}"]`)
      const message = document.createElement('p')
      message.className = 'govuk-error-message'
      message.id = id
      message.innerHTML = '<span class="govuk-visually-hidden">Error:</span> '
      message.append(`Enter a real date for ${label ? label.textContent.trim() : 'the date'}, or clear it`)
      box.before(message)
      group?.classList.add('govuk-form-group--error')
      box.classList.add('govuk-input--error')
      box.setAttribute('aria-describedby', [...described, id].join(' '))
      first = first || box
    }
    if (first) {
      event.preventDefault()
      first.focus()
    }
  })
}

// A staff action that redirects to a part of a long page (a review edit lands on its theme,
// /staff/reports/runs/1#theme-T06) says what it did in a success banner at the top, about
// 15,000 px above where the page opens, and the browser's move to the fragment takes focus
// off the banner GOV.UK Frontend focused: nobody saw "Theme T06 saved as ..." (smoke33). Once
// the page has loaded and moved, the banner goes just above the part landed on, and takes
// focus there, so it is seen and read. Without JavaScript it stays at the top, as before.
const success = document.querySelector('.govuk-notification-banner--success[role="alert"]')
if (success && location.hash.length > 1) {
  window.addEventListener('load', () => setTimeout(() => {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)))
    if (!target || !target.getClientRects().length) return // none, or hidden (a closed details)
    if (target.contains(success) || success.contains(target)) return
    target.before(success)
    success.setAttribute('tabindex', '-1')
    success.addEventListener('blur', () => success.removeAttribute('tabindex'), { once: true })
    success.focus()
  }, 0))
}
