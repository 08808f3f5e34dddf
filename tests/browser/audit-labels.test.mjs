// Every audit action a route declares (the 8th field of the route table,
// listed by `zhengqi routes --json`) reads in Chinese in the bureau's 审计日志
// and a person's 个人信息: a new module that forgets its labels fails here,
// instead of clerks meeting raw codes like `policy.publish`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { actionLabel } from '../../web/src/utils/auditActions.js'

const bin = process.env.ZQ_BIN || 'build/zhengqi'

test('every route audit action has a Chinese label', () => {
  const routes = JSON.parse(execFileSync(bin, ['routes', '--json'], { encoding: 'utf8' }))
  const actions = [...new Set(routes.filter((r) => r.audit).map((r) => r.audit))]
  assert.ok(actions.length >= 60, `only ${actions.length} audited actions: not the real table`)
  const raw = actions.filter((a) => actionLabel(a) === a || !/[\u4e00-\u9fff]/.test(actionLabel(a)))
  assert.deepEqual(raw, [], `audit actions without a label in web/src/utils/auditActions.js: ${raw.join(', ')}`)
})
