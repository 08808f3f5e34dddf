// Browser-test harness: starts a real zhengqi server on a free loopback
// port with a fresh SQLite database in a temp dir, serving web/dist, and
// drives Debian's Chromium through playwright-core (installed by `npm ci`
// in web/). Each test file calls startServer() once and stop() at the end.
//
//   ZQ_BIN    server binary (default build/zhengqi)
//   ZQ_WEB    built web UI to serve (default web/dist)
//   CHROMIUM  browser binary (default /usr/bin/chromium)
//   ZQ_KEEP   keep the temp dir (database, server log, screenshots) after the run
//
// The server runs with --dev (the `log` SMS provider, no staff SMS factor);
// srv.cli(...) runs `zhengqi … --db <its database>`, which smsCodes /
// nextSmsCode (the SMS outbox) and createStaff (`staff create`, one-time
// password on the last line) build on.
import { createRequire } from 'node:module'
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const requireFromWeb = createRequire(path.join(ROOT, 'web', 'package.json'))
const { chromium } = requireFromWeb('playwright-core')

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Start `zhengqi serve` and wait until GET /api/v1/health answers 200.
 * Resolves with { base, pid, dir, log(), stop() }.
 */
export async function startServer() {
  const bin = path.resolve(process.env.ZQ_BIN || path.join(ROOT, 'build', 'zhengqi'))
  if (!existsSync(bin)) throw new Error(`server binary not found: ${bin} (run make, or set ZQ_BIN)`)
  const web = process.env.ZQ_WEB || 'web/dist'
  if (!existsSync(path.resolve(ROOT, web, 'index.html'))) {
    throw new Error(`${web}/index.html not found (run: cd web && npm ci && npx vite build)`)
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'zq-browser-'))
  const dbUrl = `sqlite:${path.join(dir, 't.db')}`
  const logFile = path.join(dir, 'server.log')
  const fd = openSync(logFile, 'a')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const child = spawn(bin, [
    'serve', '--listen', `127.0.0.1:${port}`, '--db', dbUrl,
    '--web', web, '--dev',
  ], { cwd: ROOT, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  let exited = null
  // If this test process ends without calling stop() (a crash, a timeout
  // kill), the server must not outlive it.
  const killOnExit = () => { if (!exited) { try { process.kill(child.pid, 'SIGKILL') } catch { /* gone */ } } }
  const onSignal = (sig) => { killOnExit(); process.exit(sig === 'SIGINT' ? 130 : 143) }
  process.once('exit', killOnExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  child.on('exit', (code, signal) => {
    exited = { code, signal }
    process.removeListener('exit', killOnExit)
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  })
  const log = () => { try { return readFileSync(logFile, 'utf8') } catch { return '' } }

  const stop = async () => {
    if (!exited) {
      try { process.kill(child.pid, 'SIGTERM') } catch { /* already gone */ }
      for (let i = 0; i < 50 && !exited; i++) await sleep(100)
      if (!exited) { try { process.kill(child.pid, 'SIGKILL') } catch { /* gone */ } }
      for (let i = 0; i < 20 && !exited; i++) await sleep(50)
    }
    if (!process.env.ZQ_KEEP) rmSync(dir, { recursive: true, force: true })
  }

  const deadline = Date.now() + 20000
  for (;;) {
    if (exited) {
      const out = log()
      await stop()
      throw new Error(`server exited early (${JSON.stringify(exited)}):\n${out}`)
    }
    try {
      const r = await fetch(`${base}/api/v1/health`)
      if (r.ok) break
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const out = log()
      await stop()
      throw new Error(`server did not answer /api/v1/health within 20 s:\n${out}`)
    }
    await sleep(100)
  }
  // `zhengqi <args…>` on this server's database (staff create, sms outbox …)
  const cli = (...args) => execFileSync(bin, [...args, '--db', dbUrl], { cwd: ROOT, encoding: 'utf8' })
  return { base, pid: child.pid, dir, dbUrl, log, stop, cli }
}

/**
 * The SMS codes sent to phone, latest first, read from the outbox of the
 * `log` provider (`zhengqi sms outbox --phone P`), as the issue prescribes.
 */
export function smsCodes(srv, phone) {
  const out = srv.cli('sms', 'outbox', '--phone', phone)
  return [...out.matchAll(/验证码 (\d{6})/g)].map((m) => m[1])
}

/** Waits until a code newer than the `seen` ones reaches phone; resolves with it. */
export async function nextSmsCode(srv, phone, seen = [], timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const codes = smsCodes(srv, phone)
    if (codes.length > seen.length) return codes[0]
    if (Date.now() > deadline) throw new Error(`no new SMS code to ${phone} within ${timeoutMs} ms`)
    await sleep(150)
  }
}

/**
 * `zhengqi staff create`: a bureau staff account; returns the one-time
 * password the command prints alone on its last line.
 */
export function createStaff(srv, { username, phone, role, region, name }) {
  const args = ['staff', 'create', '--username', username, '--phone', phone, '--role', role]
  if (region) args.push('--region', region)
  if (name) args.push('--name', name)
  return srv.cli(...args).trim().split('\n').pop().trim()
}

/**
 * A test file's server and browser, for all its tests: in before(),
 * `;({ srv, browser } = await openSuite())`; in after(), closeSuite(srv, browser).
 */
export async function openSuite() {
  const srv = await startServer()
  try {
    return { srv, browser: await launchBrowser() }
  } catch (e) {
    await srv.stop()
    throw e
  }
}

/** Closes what openSuite opened (either may be missing when before() failed). */
export async function closeSuite(srv, browser) {
  if (browser) await browser.close()
  if (srv) await srv.stop()
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

// The only failure a page may see: the session probe of a guest.
function expected401(url, status) {
  return status === 401 && new URL(url).pathname === '/api/v1/auth/me'
}

/**
 * Record everything that should fail a test: console errors, uncaught page
 * errors, failed requests, HTTP answers >= 400 — except the 401 a guest gets
 * from GET /api/v1/auth/me (and the console line Chromium logs for it) and
 * requests cancelled by a navigation. `allow` lists further refusals a test
 * provokes on purpose: [{status, path: RegExp of the URL path}].
 */
export function watch(page, allow = []) {
  const allowed = (url, status) => allow.some((a) => a.status === status && a.path.test(new URL(url).pathname))
  const problems = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const loc = msg.location() || {}
    if (/status of 401/.test(msg.text()) && loc.url && expected401(loc.url, 401)) return
    const st = /status of (\d{3})/.exec(msg.text())
    if (st && loc.url && allowed(loc.url, Number(st[1]))) return
    problems.push(`console error: ${msg.text()}${loc.url ? ` (${loc.url})` : ''}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (req) => {
    const f = req.failure()
    // ERR_ABORTED: cancelled because the test navigated on (a favicon, a
    // dictionary still loading); refusals by CSP or the network differ.
    if (f && f.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${req.method()} ${req.url()} ${f ? f.errorText : ''}`)
  })
  page.on('response', (res) => {
    if (res.status() >= 400 && !expected401(res.url(), res.status()) && !allowed(res.url(), res.status())) {
      problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`)
    }
  })
  return problems
}

/** New page in a fresh context, with its problem list; desktop or phone viewport. */
export async function newPage(browser, { mobile = false, allow = [] } = {}) {
  const context = await browser.newContext(mobile
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' }
    : { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  const problems = watch(page, allow)
  return { context, page, problems }
}

/** Words a published page must never show. */
export const PLACEHOLDER_WORDS = /TODO|lorem|coming soon|敬请期待|开发中|待开发|建设中/i
