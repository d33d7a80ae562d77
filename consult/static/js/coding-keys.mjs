// Single-key shortcuts on the coding pages (progressive enhancement: without JavaScript the
// page works as before, and the shortcuts and their switch are not shown).
//
// WCAG 2.2 2.1.4 Character Key Shortcuts: a visible switch turns them off (remembered in this
// browser), and they never act while someone types in a text field or holds Ctrl, Alt or
// Cmd. Each key clicks the control it stands for, so the page behaves exactly as when the
// control is clicked (the exclusive "None of these themes" box unticks the others), and a
// polite live region says what changed.
//
// Themes take keys in the order they are listed: 1 to 9 the first nine, Shift+1 to Shift+9
// the tenth to eighteenth (by the key's place, event.code, so any layout that types a symbol
// with Shift and a digit works); each shows its key beside its name, and has it in
// aria-keyshortcuts while the shortcuts are on. Themes after the eighteenth have none: the
// "Keyboard shortcuts" details says so, when there are any.
//
// The form opts in with data-coding-shortcuts; its save button has data-shortcut-save and the
// skip link, if any, data-shortcut-skip. The panel (#coding-shortcuts) holds the switch
// (#coding-shortcuts-on) and the live region (#coding-shortcuts-status).

const STORAGE_KEY = 'consult.codingShortcuts'
const STANCE_KEYS = { f: 'for', a: 'against', n: 'mixed', c: '' }
const DIGITS = 9 // themes per row of keys: 1 to 9, then Shift+1 to Shift+9

// The key of the theme listed at ``index`` (from 0): '1'..'9', 'Shift+1'..'Shift+9', or
// null when it has none.
function themeKey (index) {
  if (index < DIGITS) return String(index + 1)
  if (index < 2 * DIGITS) return `Shift+${index - DIGITS + 1}`
  return null
}

// The theme index (from 0) a key press stands for, or -1: a digit as typed, else Shift and
// the digit key's place.
function themeIndex (event) {
  const key = event.key
  if (key >= '1' && key <= '9') return Number(key) - 1
  const place = /^Digit([1-9])$/.exec(event.code || '')
  if (event.shiftKey && place) return DIGITS + Number(place[1]) - 1
  return -1
}

const form = document.querySelector('form[data-coding-shortcuts]')
const panel = document.getElementById('coding-shortcuts')
const toggle = document.getElementById('coding-shortcuts-on')
const status = document.getElementById('coding-shortcuts-status')

function remembered () {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== 'off'
  } catch (error) {
    return true // storage blocked: on, and the switch still works for this page
  }
}

function remember (on) {
  try {
    window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off')
  } catch (error) {
    // storage blocked: the choice lasts for this page only
  }
}

function typing (target) {
  if (!(target instanceof Element)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'range', 'color']
      .includes(target.type)
  }
  return false
}

function labelOf (input) {
  const label = input.id ? document.querySelector(`label[for="${input.id}"]`) : null
  const text = label ? label.cloneNode(true) : null
  if (!text) return input.value
  text.querySelectorAll('[data-shortcut-hint]').forEach((hint) => hint.remove())
  return text.textContent.trim()
}

function say (message) {
  if (!status) return
  status.textContent = ''
  window.setTimeout(() => { status.textContent = message }, 50)
}

if (form && panel && toggle) {
  const themes = Array.from(form.querySelectorAll('input[name="themes"]'))
  const boxes = themes.filter((box) => box.dataset.behaviour !== 'exclusive')
  const none = themes.find((box) => box.dataset.behaviour === 'exclusive')
  const stances = Array.from(form.querySelectorAll('input[name="stance"]'))
  const save = form.querySelector('[data-shortcut-save]')
  const skip = document.querySelector('a[data-shortcut-skip]')

  // Each theme with a key (themeKey), "None of these themes" and each stance shows its key
  // while the shortcuts are on, and has it in aria-keyshortcuts; screen readers also hear the
  // list in the "Keyboard shortcuts" details.
  const hinted = boxes
    .map((box, i) => [box, themeKey(i)])
    .filter(([, key]) => key !== null)
  if (none) hinted.push([none, '0'])
  for (const [key, value] of Object.entries(STANCE_KEYS)) {
    const radio = stances.find((r) => r.value === value)
    if (radio) hinted.push([radio, key.toUpperCase()])
  }
  if (save) hinted.push([save, 'S'])
  if (skip) hinted.push([skip, 'K'])
  // What the details lists beyond the first nine, when there are more themes.
  const more = panel.querySelector('[data-shortcuts-shifted]')
  if (more) more.hidden = boxes.length <= DIGITS
  const keyless = panel.querySelector('[data-shortcuts-keyless]')
  if (keyless) keyless.hidden = boxes.length <= 2 * DIGITS
  for (const [box, key] of hinted) {
    const label = box.id ? document.querySelector(`label[for="${box.id}"]`) : null
    if (!label) continue
    const hint = document.createElement('kbd')
    hint.dataset.shortcutHint = key
    hint.setAttribute('aria-hidden', 'true')
    hint.className = 'consult-shortcut-key'
    hint.textContent = key
    label.prepend(hint, ' ')
  }

  function show (on) {
    toggle.checked = on
    document.querySelectorAll('[data-shortcut-hint]').forEach((hint) => { hint.hidden = !on })
    for (const [control, key] of hinted) {
      if (on) control.setAttribute('aria-keyshortcuts', key)
      else control.removeAttribute('aria-keyshortcuts')
    }
    const off = panel.querySelector('[data-shortcuts-off]')
    if (off) off.hidden = on
  }

  let on = remembered()
  show(on)
  panel.hidden = false
  toggle.addEventListener('change', () => {
    on = toggle.checked
    remember(on)
    show(on)
    say(on ? 'Single-key shortcuts on' : 'Single-key shortcuts off')
  })

  function tick (box) {
    box.click()
    say(`${box.checked ? 'Ticked' : 'Unticked'} ${labelOf(box)}`)
  }

  document.addEventListener('keydown', (event) => {
    if (!on || event.defaultPrevented || event.isComposing || event.repeat) return
    if (event.ctrlKey || event.altKey || event.metaKey) return
    if (typing(event.target)) return
    const key = event.key
    if (key.length !== 1) return
    let acted = true
    const index = themeIndex(event)
    if (index >= 0) {
      const box = boxes[index]
      if (box) tick(box)
      else acted = false
    } else if (key === '0' && none) {
      tick(none)
    } else if (key.toLowerCase() in STANCE_KEYS && !event.shiftKey) {
      const radio = stances.find((r) => r.value === STANCE_KEYS[key.toLowerCase()])
      if (radio) {
        radio.click()
        say(`Stance: ${labelOf(radio)}`)
      } else acted = false
    } else if (key === 's' && save) {
      if (typeof form.requestSubmit === 'function') form.requestSubmit(save)
      else save.click()
    } else if (key === 'k' && skip) {
      window.location.assign(skip.href)
    } else {
      acted = false
    }
    if (acted) event.preventDefault()
  })
}
