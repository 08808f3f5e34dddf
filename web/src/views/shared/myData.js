// What the console's 账号设置 and the mobile 个人信息 page share: how the
// personal-data document of GET /api/v1/me/data-export reads (one group per
// section, its columns and how a value is shown — anything the server adds
// that is not listed here still downloads), loading it, and the steps of
// 注销账号.
import { onMounted, ref } from 'vue'
import { ENTERPRISE_STATUS, JOIN_STATUS, statusText } from '../../constants/status.js'
import { actionLabel } from '../../utils/auditActions.js'
import { shortTime } from '../../utils/legalText.js'
import { notify } from '../../api/client.js'
import { session, requestSmsCode, clearSession } from '../../api/auth.js'
import { getMyData, closeAccountCheck, closeAccount } from '../../api/legal.js'

const MEMBER_STATUS = { active: '在职', removed: '已退出' }
const ENT_STATUS = statusText(ENTERPRISE_STATUS)
const JOIN = statusText(JOIN_STATUS)
const RESULT = { ok: '成功', failed: '失败', denied: '拒绝' }
const SMS_PURPOSE = { register: '注册账号', login: '短信登录', reset: '重置密码', transfer: '身份确认', close_account: '注销账号', staff_login: '登录管理后台' }
const CHANNEL = { web: '电脑网页', mobile: '手机', link: '邀请链接', qr: '邀请二维码' }
const SMS_STATUS = { sent: '已发送', failed: '发送失败' }

const t = (v) => shortTime(v) || '—'
const pick = (map) => (v) => map[v] || v || '—'

function sessionState(row) {
  if (row.revoked_at) return `已退出（${t(row.revoked_at)}）`
  return Date.parse(row.expires_at) < Date.now() ? '已过期' : '有效'
}

export const MY_DATA_SECTIONS = [
  { key: 'memberships', title: '所属企业', cols: [
    { key: 'enterprise_name', label: '企业' },
    { key: 'uscc', label: '统一社会信用代码' },
    { key: 'role', label: '身份', show: (v, row) => (row.is_legal_rep ? '法定代表人' : v || '成员') },
    { key: 'status', label: '状态', show: pick(MEMBER_STATUS) },
    { key: 'since', label: '加入时间', show: t },
  ] },
  { key: 'enterprises_registered', title: '我提交注册的企业', cols: [
    { key: 'name', label: '企业名称' },
    { key: 'uscc', label: '统一社会信用代码' },
    { key: 'status', label: '状态', show: pick(ENT_STATUS) },
    { key: 'legal_rep_name', label: '法人' },
    { key: 'contact_phone', label: '联系电话' },
    { key: 'submitted_at', label: '提交时间', show: t },
  ] },
  { key: 'join_requests', title: '加入企业申请', cols: [
    { key: 'enterprise_name', label: '企业' },
    { key: 'status', label: '状态', show: pick(JOIN) },
    { key: 'message', label: '申请说明' },
    { key: 'created_at', label: '申请时间', show: t },
  ] },
  { key: 'consents', title: '协议同意记录', cols: [
    { key: 'terms_version', label: '用户协议版本', show: (v) => `第 ${v} 版` },
    { key: 'privacy_version', label: '隐私政策版本', show: (v) => `第 ${v} 版` },
    { key: 'channel', label: '渠道', show: pick(CHANNEL) },
    { key: 'ip', label: 'IP 地址' },
    { key: 'at', label: '同意时间', show: t },
  ] },
  { key: 'sessions', title: '登录会话', cols: [
    { key: 'created_at', label: '登录时间', show: t },
    { key: 'last_seen_at', label: '最近活动', show: t },
    { key: 'ip', label: 'IP 地址' },
    { key: 'user_agent', label: '浏览器' },
    { key: 'revoked_at', label: '状态', show: (v, row) => sessionState(row) },
  ] },
  { key: 'activity', title: '操作记录', cols: [
    { key: 'at', label: '时间', show: t },
    { key: 'action', label: '操作', show: (v) => actionLabel(v) },
    { key: 'result', label: '结果', show: pick(RESULT) },
    { key: 'ip', label: 'IP 地址' },
  ] },
  { key: 'sms_codes', title: '短信验证码（不含验证码内容）', cols: [
    { key: 'purpose', label: '用途', show: pick(SMS_PURPOSE) },
    { key: 'created_at', label: '发送时间', show: t },
    { key: 'used_at', label: '使用时间', show: t },
    { key: 'requested_from_ip', label: '申请 IP' },
  ] },
  { key: 'sms_messages', title: '短信发送记录', cols: [
    { key: 'sent_at', label: '发送时间', show: t },
    { key: 'status', label: '状态', show: pick(SMS_STATUS) },
  ] },
]

/** A cell as text. */
export function cellText(col, row) {
  const v = row[col.key]
  if (col.show) return col.show(v, row)
  return v === null || v === undefined || v === '' ? '—' : String(v)
}

/** The account part as label/value pairs. */
export function accountRows(data) {
  const a = (data && data.account) || {}
  return [
    { label: '姓名', value: a.name || '—' },
    { label: '手机号', value: a.phone || '—' },
    { label: '注册时间', value: t(a.created_at) },
    { label: '最近修改密码', value: t(a.password_changed_at) },
  ]
}

/** The document, loaded on mount: {data, loading, error}. */
export function useMyData() {
  const data = ref(null)
  const loading = ref(false)
  const error = ref('')
  onMounted(async () => {
    loading.value = true
    try {
      data.value = await getMyData({ notify: false })
    } catch (e) {
      error.value = e.message || '个人信息加载失败'
    } finally {
      loading.value = false
    }
  })
  return { data, loading, error }
}

/**
 * 注销账号: open() asks the server whether the account may close (a legal
 * rep must transfer first), sendCode() texts the own phone, submit(code)
 * closes it; onClosed runs after the session is gone.
 */
export function useCloseAccount(onClosed) {
  const shown = ref(false)
  const check = ref(null)
  const closing = ref(false)
  const codeErr = ref('')

  async function open() {
    check.value = null
    codeErr.value = ''
    shown.value = true
    try {
      check.value = await closeAccountCheck()
    } catch {
      shown.value = false
    }
  }
  const sendCode = () => requestSmsCode(session.me.user.phone, 'close_account')

  async function submit(code) {
    closing.value = true
    try {
      await closeAccount(String(code || '').trim())
      shown.value = false
      clearSession()
      notify('账号已注销', 'success')
      onClosed()
    } catch (e) {
      if (e.fields && e.fields.code) codeErr.value = e.fields.code
      else notify(e.message || '注销失败，请稍后再试')
      if (e.status === 422) check.value = { allowed: false, reason: e.message }
    } finally {
      closing.value = false
    }
  }
  return { shown, check, closing, codeErr, open, sendCode, submit }
}
