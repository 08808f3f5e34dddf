// Messages, channel settings, WeChat grants (src/notify/, docs/notify.md)
// and the bureau's templates and delivery records.
import { get, post, put } from './client.js'
import { reactive } from 'vue'

export const listMessages = (query, opts) => get('/messages', { ...opts, query })
export const readMessage = (id) => post(`/messages/${encodeURIComponent(id)}/read`, {})
export const readAllMessages = () => post('/messages/read-all', {})
export const getNotifySettings = (opts) => get('/me/notify-settings', opts)
export const saveNotifySettings = (topics) => put('/me/notify-settings', { topics }, { notify: false })
export const getWechatGrants = (opts) => get('/me/wechat-grants', opts)
export const addWechatGrant = (code) => post('/me/wechat-grants', { template_code: code })
export const setWechatGrant = (code, enabled) => put('/me/wechat-grants', { template_code: code, enabled })
export const listDeliveries = (query, opts) => get('/admin/deliveries', { ...opts, query })
export const listTemplates = (opts) => get('/admin/message-templates', opts)
export const saveTemplate = (body) => put('/admin/message-templates', body, { notify: false })

// The unread count the console badge and the mobile 我的 show; refreshed by
// polling and after a message is read.
export const unread = reactive({ count: 0 })
export async function refreshUnread() {
  try {
    const r = await get('/messages/unread-count', { notify: false, handle401: false })
    unread.count = r.count || 0
  } catch { /* keep the last count; the next poll tries again */ }
  return unread.count
}

export const TOPIC_NAMES = {
  policy: '政策推送', notice: '通知公告', trade: '外贸监测', declaration: '项目申报', survey: '问卷调查', consult: '咨询建议', account: '账号与企业',
}
export const DELIVERY_STATUS = {
  pending: { text: '待发送', type: 'info' },
  sending: { text: '发送中', type: 'warning' },
  sent: { text: '已发送', type: 'success' },
  failed: { text: '发送失败', type: 'danger' },
  skipped: { text: '未发送', type: 'info' },
}
export const CHANNEL_NAMES = { sms: '短信', wechat: '微信' }
