// The dashboard's counts keep themselves up to date (collect29 #5), as progressive
// enhancement: without JavaScript the page says its counts and when they were counted, and
// a reload brings the latest. Here, every few seconds while the page is shown, the server
// is asked for the counts now; the sentence and its time are updated in place, and when a
// count has changed since the page was loaded, a polite live region says so once (WCAG 4.1.3).
// Focus never moves, nothing animates, and a button stops and restarts the updates
// (WCAG 2.2.2). Asking is not activity: an open dashboard still signs out when idle, and
// once the answer is not the counts (the sign-in page) it stops asking and says why.

const box = document.getElementById('live-counts')
const seconds = box ? Number(box.dataset.pollSeconds) : 0

if (box && seconds > 0) {
  const summary = document.getElementById('counts-summary')
  const change = document.getElementById('counts-change')
  const shown = { submitted: box.dataset.submitted, drafts: box.dataset.drafts }
  const STOP = 'Stop updating the counts'
  const START = 'Update the counts again'
  let running = true
  let ended = false

  const about = document.createElement('p')
  about.className = 'govuk-hint'
  about.id = 'counts-updating'
  // A status message (WCAG 4.1.3): said when the updates stop, by the button or because
  // the session ended, not only shown (review29).
  about.setAttribute('role', 'status')
  about.textContent = `These counts update by themselves every ${seconds} seconds.`
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-4'
  button.textContent = STOP
  box.append(about, button)

  const end = (why) => {
    ended = true
    running = false
    button.remove()
    about.textContent = why
  }

  const ask = async () => {
    if (!running || ended || document.hidden) return
    const url = new URL(box.dataset.countsUrl, window.location.href)
    url.searchParams.set('submitted', shown.submitted)
    url.searchParams.set('drafts', shown.drafts)
    let response
    try {
      response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    } catch {
      return // offline for a moment: the next turn asks again
    }
    const json = (response.headers.get('Content-Type') || '').includes('application/json')
    if (!response.ok || response.redirected || !json) {
      end('The counts stopped updating: you may have been signed out. Reload the page to see the latest.')
      return
    }
    const data = await response.json()
    if (!running) return
    summary.textContent = data.summary
    if (data.change && change.textContent !== data.change) change.textContent = data.change
  }

  button.addEventListener('click', () => {
    running = !running
    button.textContent = running ? STOP : START
    about.textContent = running
      ? `These counts update by themselves every ${seconds} seconds.`
      : 'These counts are not updating. Reload the page to see the latest.'
    if (running) ask()
  })
  document.addEventListener('visibilitychange', () => { if (!document.hidden) ask() })
  window.setInterval(ask, seconds * 1000)
}
