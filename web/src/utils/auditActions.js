// What the audit log's action codes mean to people: the filter groups of
// the bureau's 审计日志 and the labels shown there and in a person's own
// 个人信息 (their activity records).
import { SECTION_SPECS } from '../constants/profileSections.js'

export const ACTION_GROUPS = [
  { label: '登录与账号', options: [
    { value: 'auth.*', label: '全部登录与账号操作' },
    { value: 'auth.login', label: '企业用户登录' },
    { value: 'auth.staff_login', label: '工作人员登录' },
    { value: 'auth.logout', label: '退出登录' },
    { value: 'auth.switch', label: '切换企业' },
    { value: 'auth.password_change', label: '修改密码' },
    { value: 'auth.password_reset', label: '短信重置密码' },
    { value: 'sms.send', label: '发送短信（验证码、邀请通知）' },
  ] },
  { label: '注册与审核', options: [
    { value: 'registration.*', label: '全部注册与审核' },
    { value: 'registration.submit', label: '提交注册' },
    { value: 'registration.update', label: '修改注册信息' },
    { value: 'registration.resubmit', label: '重新提交注册' },
    { value: 'registration.approve', label: '审核通过' },
    { value: 'registration.reject', label: '审核退回' },
    { value: 'invite.create', label: '生成邀请链接' },
    { value: 'invite.revoke', label: '撤销邀请链接' },
  ] },
  { label: '企业信息', options: [
    { value: 'enterprise.*', label: '全部企业信息操作' },
    { value: 'enterprise.update', label: '修改企业基本信息' },
    { value: 'enterprise.change.submit', label: '提交名称/信用代码/区划变更' },
    { value: 'enterprise.change.update', label: '修改变更申请' },
    { value: 'enterprise.change.withdraw', label: '撤回变更申请' },
    { value: 'enterprise.change.approve', label: '变更审核通过' },
    { value: 'enterprise.change.reject', label: '变更审核驳回' },
    { value: 'enterprise.export', label: '导出企业库' },
    { value: 'enterprise.reveal_phone', label: '查看手机号明文' },
    { value: 'profile.*', label: '企业资料（资质、经营数据等）增删改' },
    { value: 'upload.create', label: '上传附件' },
  ] },
  { label: '企业成员', options: [
    { value: 'join.request', label: '申请加入企业' },
    { value: 'join.approve', label: '同意加入申请' },
    { value: 'join.reject', label: '拒绝加入申请' },
    { value: 'employee.*', label: '全部员工与邀请操作' },
    { value: 'employee.invite', label: '邀请员工' },
    { value: 'employee.invite_accept', label: '接受加入邀请' },
    { value: 'employee.invite_decline', label: '拒绝加入邀请' },
    { value: 'employee.invite_revoke', label: '撤销员工邀请' },
    { value: 'employee.invite_resend', label: '重发员工邀请' },
    { value: 'employee.add', label: '添加员工（旧版直接关联）' },
    { value: 'employee.role', label: '调整员工角色' },
    { value: 'employee.remove', label: '移除员工' },
    { value: 'role.create', label: '新建角色' },
    { value: 'role.update', label: '修改角色' },
    { value: 'role.delete', label: '删除角色' },
    { value: 'role.defaults', label: '创建默认角色' },
    { value: 'legal_rep.transfer', label: '法人变更' },
  ] },
  { label: '工作人员与安全', options: [
    { value: 'staff.*', label: '全部人员管理' },
    { value: 'staff.create', label: '新增人员' },
    { value: 'staff.update', label: '修改人员' },
    { value: 'staff.disable', label: '停用人员' },
    { value: 'staff.reset_password', label: '重置人员密码' },
    { value: 'staff_role.create', label: '新增工作人员角色' },
    { value: 'staff_role.update', label: '修改工作人员角色' },
    { value: 'staff_role.delete', label: '删除工作人员角色' },
    { value: 'access.denied', label: '越权访问被拒绝' },
  ] },
  { label: '个人信息', options: [
    { value: 'consent.give', label: '同意用户协议与隐私政策' },
    { value: 'privacy.export', label: '查看/下载个人信息' },
    { value: 'account.close', label: '注销账号' },
    { value: 'legal.publish', label: '发布协议新版本' },
  ] },
  { label: '消息与微信', options: [
    { value: 'message.read', label: '阅读消息' },
    { value: 'message.read_all', label: '全部消息标为已读' },
    { value: 'notify.settings', label: '修改消息设置' },
    { value: 'notify.template_update', label: '修改消息模板' },
    { value: 'wechat.bind', label: '绑定微信' },
    { value: 'wechat.unbind', label: '解除微信绑定' },
    { value: 'wechat.grant', label: '增加微信提醒次数' },
    { value: 'wechat.grant_set', label: '开启/关闭微信提醒' },
  ] },
  { label: '字典与系统', options: [
    { value: 'dict.*', label: '全部字典维护' },
    { value: 'dict.item.create', label: '新增字典项' },
    { value: 'dict.item.update', label: '修改字典项（改名、排序、停用）' },
    { value: 'dict.item.delete', label: '删除字典项' },
    { value: 'demo.seed', label: '生成演示数据' },
    { value: 'demo.bulk', label: '批量生成压测企业' },
  ] },
]
const LABELS = Object.fromEntries(ACTION_GROUPS.flatMap((g) => g.options).map((o) => [o.value, o.label]))
const SECTION_NAMES = Object.fromEntries(Object.entries(SECTION_SPECS).map(([k, v]) => [k, v.title]))
const VERBS = { create: '新增', update: '修改', delete: '删除' }
/** profile.<section>.<verb> (src/profile/profile_api.c) reads as 企业资质·新增 */
export function actionLabel(a) {
  if (LABELS[a]) return LABELS[a]
  const m = /^profile\.([a-z]+)\.([a-z]+)$/.exec(a || '')
  return m && SECTION_NAMES[m[1]] && VERBS[m[2]] ? `${SECTION_NAMES[m[1]]}·${VERBS[m[2]]}` : a
}
