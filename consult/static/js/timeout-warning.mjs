// The timeout warning (templates/staff/timeout_warning.html), after GOV.UK's and HMRC's
// pattern: some minutes before a signed-in page's session would end for want of activity,
// a modal dialog says so, counting down, and "Stay signed in" keeps the session going
// without leaving the page (POST /staff/session/keep-alive). Escape is "Stay signed in",
// as in HMRC's dialog. Before warning, the server is asked how long is really left
// (GET /staff/session: asking is not activity), since work in another tab keeps the same
// session going. Its answer carries a fresh CSRF token, used by "Stay signed in" (the
// page's own has expired once the page is 2 hours old).
//
// When the time is up, the page goes to the sign-in page, which says why and comes back
// here after, so nothing is left on the screen. Unless something has been typed on this
// page: then it stays, and the dialog says so: sending the form keeps what was typed for
// after signing in again (consult/staff/kept_forms.py).
//
// Without JavaScript none of this happens: the dialog is never shown.
const dialog = document.getElementById('timeout-warning')

if (dialog && typeof dialog.showModal === 'function') {
  const warnSeconds = Number(dialog.dataset.warnSeconds)
  const countdown = dialog.querySelector('[data-countdown]')
  const spoken = dialog.querySelector('[data-countdown-spoken]')
  const stay = dialog.querySelector('[data-stay-signed-in]')
  const heading = dialog.querySelector('#timeout-warning-heading')
  let checkTimer = null
  let tickTimer = null
  let endsAt = 0
  let lastSpoken = ''
  let typed = false

  for (const form of document.querySelectorAll('main form')) {
    const mark = () => { typed = true }
    form.addEventListener('input', mark)
    form.addEventListener('change', mark)
  }

  const words = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60)
      return `${minutes} minute${minutes === 1 ? '' : 's'}`
    }
    return `${seconds} second${seconds === 1 ? '' : 's'}`
  }

  const endedUrl = () => {
    const here = location.pathname + location.search
    return `${dialog.dataset.endedUrl}?next=${encodeURIComponent(here)}`
  }

  const ask = async (url, options) => {
    const answer = await fetch(url, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'application/json', 'X-CSRFToken': dialog.dataset.csrfToken },
      ...options
    })
    if (!answer.ok) throw new Error(`${answer.status}`)
    const state = await answer.json()
    // The page's CSRF token is refused once the page is older than the token's time limit
    // (2 hours): GET /staff/session hands a fresh one (review fixr17b #4).
    if (state.csrf_token) dialog.dataset.csrfToken = state.csrf_token
    return state
  }

  // Wait until the warning is due, then ask the server how long is left.
  const schedule = (secondsLeft) => {
    clearTimeout(checkTimer)
    checkTimer = setTimeout(check, Math.max(0, secondsLeft - warnSeconds) * 1000)
  }

  const check = async () => {
    let state
    try {
      state = await ask(dialog.dataset.statusUrl)
    } catch (error) {
      schedule(warnSeconds + 30) // the server did not answer: ask again a little later
      return
    }
    if (!state.signed_in) return timedOut()
    if (state.seconds_left > warnSeconds + 1) return schedule(state.seconds_left)
    warn(state.seconds_left)
  }

  const tick = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000))
    countdown.textContent = words(left)
    // Screen readers hear the time now and then (each minute, then once under 30 seconds
    // and once under 10), not every second.
    const step = left > 60 ? words(left) : left > 30 ? 'a minute' : left > 10 ? '30' : '10'
    if (step !== lastSpoken) {
      lastSpoken = step
      spoken.textContent = `You will be signed out in ${words(left)}.`
    }
    if (left <= 0) {
      clearInterval(tickTimer)
      finish()
    }
  }

  const warn = (secondsLeft) => {
    endsAt = Date.now() + secondsLeft * 1000
    lastSpoken = ''
    tick()
    clearInterval(tickTimer)
    tickTimer = setInterval(tick, 1000)
    if (!dialog.open) dialog.showModal()
    heading.focus()
  }

  // The time is up, unless work in another tab has kept the session going meanwhile.
  const finish = async () => {
    try {
      const state = await ask(dialog.dataset.statusUrl)
      if (state.signed_in && state.seconds_left > warnSeconds) {
        dialog.close()
        return schedule(state.seconds_left)
      }
      if (state.signed_in) {
        checkTimer = setTimeout(finish, (state.seconds_left + 1) * 1000)
        return
      }
    } catch (error) {
      // no answer: treat the session as over
    }
    timedOut()
  }

  const timedOut = () => {
    clearInterval(tickTimer)
    if (!typed) {
      location.href = endedUrl()
      return
    }
    // Something typed here would be lost by leaving: the page stays, and says how to keep it.
    dialog.querySelector('[data-warning]').hidden = true
    dialog.querySelector('[data-signed-out]').hidden = false
    dialog.querySelector('[data-sign-in-again]').href = endedUrl()
    heading.textContent = 'You have been signed out'
    if (!dialog.open) dialog.showModal()
    heading.focus()
  }

  const keepAlive = async () => {
    clearInterval(tickTimer)
    dialog.close()
    let state
    try {
      // Ask first: a signed-in answer carries a fresh CSRF token for the POST.
      state = await ask(dialog.dataset.statusUrl)
      if (!state.signed_in) return timedOut()
      state = await ask(dialog.dataset.keepAliveUrl, { method: 'POST' })
    } catch (error) {
      return timedOut()
    }
    if (!state.signed_in) return timedOut()
    schedule(state.seconds_left)
  }

  stay.addEventListener('click', keepAlive)
  dialog.querySelector('[data-back-to-page]').addEventListener('click', () => dialog.close())
  dialog.addEventListener('cancel', (event) => {
    if (!dialog.querySelector('[data-signed-out]').hidden) return // Escape closes it
    event.preventDefault()
    keepAlive()
  })
  schedule(Number(dialog.dataset.secondsLeft))
}
