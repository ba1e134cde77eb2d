import { call } from './api/invoke'

/**
 * Marks on the way from launch to the first screen (`performance.mark`, each name once):
 * `tests/bench/first-screen.sh` prints where a launch's time goes from them.
 */
export function markFirst(name: string) {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name)
}

let told = false

/**
 * The incident list has its first rows in the DOM: once they have been painted (the frame after
 * the next), tells the shell, with the marks. Only the first call counts.
 */
export function firstScreenRendered() {
  if (told) return
  told = true
  markFirst('rendered')
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const marks = performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])
      const report = { origin: performance.timeOrigin, marks, painted: Math.round(performance.now()) }
      call<void>('first_screen_shown', { marks: JSON.stringify(report) }).catch(() => undefined)
    }),
  )
}
