// The shared form checks (web/src/utils/validators.js) and the registration
// payload (web/src/forms/registration.js), run in node without a browser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  USCC_WEIGHTS, usccCheckChar, checkUscc, checkPhone, checkEmail, checkCustomsCode, checkCapital, checkPassword,
} from '../../web/src/utils/validators.js'
import { newRegistration, checkField, toPayload } from '../../web/src/forms/registration.js'

test('USCC weights are 3^(i-1) mod 31', () => {
  assert.deepEqual(USCC_WEIGHTS, [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
})

test('USCC check character (GB 32100-2015)', () => {
  for (const good of ['91350100M000100Y43', '914403001922038216', '91110000802100433B']) {
    assert.equal(checkUscc(good), '', good)
    assert.equal(usccCheckChar(good.slice(0, 17)), good[17])
  }
  assert.match(checkUscc('91350100M000100Y44'), /校验位不正确/)
  assert.match(checkUscc('91350100M000100Y4'), /应为18位/)
  assert.match(checkUscc('9135010OM000100Y43'), /无效字符“O”/)
  assert.equal(checkUscc('91350100m000100y43'), '') // case-insensitive
  assert.equal(checkUscc(''), '') // required is a separate rule
  assert.equal(usccCheckChar('9135010OM000100Y4'), null)
})

test('phone, email, customs code, capital, password', () => {
  assert.equal(checkPhone('13800000000'), '')
  assert.equal(checkPhone('19912345678'), '')
  for (const bad of ['12800000000', '1380000000', '138000000001', '+8613800000000']) assert.notEqual(checkPhone(bad), '', bad)
  assert.equal(checkEmail('office@example.com.cn'), '')
  assert.equal(checkEmail("o'brien+tag@mail-1.example.org"), '')
  for (const bad of ['a@b', 'a b@c.cn', '@c.cn', 'x@.cn', 'x@c.c', 'x@c.12', '.x@c.cn', 'x..y@c.cn', 'x@-c.cn', '张@c.cn', 'a@b@c.cn']) {
    assert.notEqual(checkEmail(bad), '', bad)
  }
  assert.equal(checkCustomsCode('3501ABCD12'), '')
  for (const bad of ['3501ABCD1', '3501ABCD123', '3501-BCD12']) assert.notEqual(checkCustomsCode(bad), '', bad)
  for (const good of ['0', '100', '100.5', '0.0001', '007.5', '123456789012.1234']) assert.equal(checkCapital(good), '', good)
  assert.match(checkCapital('1234567890123'), /过大/)
  assert.match(checkCapital('1.23456'), /最多保留4位小数/)
  assert.match(checkCapital('-1'), /不能为负数/)
  for (const bad of ['1.', '.5', '1e3', 'abc', '1 000']) assert.notEqual(checkCapital(bad), '', bad)
  assert.equal(checkPassword('Abc12345'), '')
  assert.equal(checkPassword('abc123!@'), '')
  assert.match(checkPassword('888888'), /至少 8 位/)
  // no composition rule: strength is the server's zxcvbn score (docs/auth.md)
  assert.equal(checkPassword('闽江口岸-观潮2026'), '')
  assert.equal(checkPassword('tide-harbor-lamp'), '')
  assert.match(checkPassword('Ab!13800000000', '13800000000'), /手机号/)
  assert.match(checkPassword('Ab!00000000x', '13800000000'), /手机号/)
})

test('registration: required fields depend on the role and the mode; payload in the API names', () => {
  const m = newRegistration()
  assert.equal(checkField('name', m), '请输入企业名称')
  assert.equal(checkField('region', m), '请选择行政区划')
  assert.equal(checkField('characteristics', m), '请选择企业特性')
  assert.equal(checkField('sms_code', m), '请输入短信验证码')
  assert.equal(checkField('sms_code', m, 'add'), '') // a logged-in account: no code, no password
  assert.equal(checkField('password', m, 'edit'), '')
  assert.equal(checkField('legal_rep_name', m), '') // 法人 registers himself
  m.applicant_role = 'staff'
  assert.equal(checkField('legal_rep_name', m), '请输入法人姓名')
  Object.assign(m, {
    name: ' 福州测试有限公司 ', uscc: '91350100m000100y43', contact_name: '张三', contact_phone: '13800000000',
    sms_code: '123456', password: 'Abc12345', password_confirm: 'Abc12345', region: '350102', industry: '13',
    characteristics: ['private'], scale: 'small', legal_rep_name: '李四', legal_rep_phone: '13800000000',
    customs_code: '3501abcd12', term_start: '2020-01-01', term_long: true, term_end: '2030-01-01',
  })
  assert.match(checkField('legal_rep_phone', m), /不能与本人联系电话相同/)
  m.legal_rep_phone = '13900000000'
  assert.equal(checkField('legal_rep_phone', m), '')
  const p = toPayload(m, { invite: 'inv-token', channel: 'qr' })
  assert.equal(p.name, '福州测试有限公司')
  assert.equal(p.uscc, '91350100M000100Y43')
  assert.equal(p.applicant_role, 'staff')
  assert.equal(p.contact_phone, '13800000000')
  assert.equal(p.customs_code, '3501ABCD12')
  assert.equal(p.legal_rep_name, '李四')
  assert.equal(p.term_start, '2020-01-01')
  assert.equal('term_end' in p, false) // 长期
  assert.equal('term_long' in p, false)
  assert.equal('email' in p, false)
  assert.equal('password_confirm' in p, false)
  assert.equal(p.invite, 'inv-token')
  assert.equal(p.channel, 'qr')
  m.applicant_role = 'legal_rep'
  assert.equal(toPayload(m).legal_rep_name, '张三')
  assert.equal(toPayload(m).legal_rep_phone, '13800000000')
  const edit = toPayload(m, { mode: 'edit', invite: 'x', channel: 'web' })
  for (const k of ['sms_code', 'password', 'invite', 'channel']) assert.equal(k in edit, false, k)
  const add = toPayload(m, { mode: 'add', channel: 'web' })
  assert.equal('password' in add, false)
  assert.equal(add.channel, 'web')
})
