// Routes of the four areas, history mode. The server answers index.html for
// any non-API path it has no file for, so deep links work.
//   /          public portal       (Element Plus)
//   /console   enterprise console  (Element Plus, enterprise users)
//   /admin     bureau console      (Element Plus, bureau staff)
//   /m         mobile H5           (Vant)
// meta.auth: 'enterprise' | 'staff' | 'mobile' → the guard below checks
// GET /api/v1/auth/me and sends guests to that area's login with ?next=.
import { createRouter, createWebHistory } from 'vue-router'
import { loadMe, session } from '../api/auth.js'
import { consoleGuard } from '../views/console/guard.js'

const PortalLayout = () => import('../views/portal/PortalLayout.vue')
const ConsoleLayout = () => import('../views/console/ConsoleLayout.vue')
import { staffCanOpen } from '../views/admin/access.js'
const AdminLayout = () => import('../views/admin/AdminLayout.vue')
const MobileLayout = () => import('../views/mobile/MobileLayout.vue')
const PasswordPage = () => import('../views/shared/PasswordPage.vue')

const ConsoleInbox = () => import('../views/console/policy/InboxPage.vue')
const ContentList = () => import('../views/admin/content/ContentListPage.vue')
const ContentEditor = () => import('../views/admin/content/ContentEditorPage.vue')
const ReachPage = () => import('../views/admin/content/ReachPage.vue')
const PortalContentList = () => import('../views/portal/content/PoliciesPage.vue')
const PortalContentDetail = () => import('../views/portal/content/ContentDetailPage.vue')
const PortalServices = () => import('../views/portal/content/ServicesPage.vue')

const consoleChildren = [
  { path: '', name: 'console-home', component: () => import('../views/console/DashboardPage.vue'), meta: { title: '工作台' } },
  { path: 'enterprise/info', name: 'console-enterprise', component: () => import('../views/console/EnterpriseInfoPage.vue'), meta: { title: '企业信息', group: '企业信息' } },
  { path: 'enterprise/staff', name: 'console-staff', component: () => import('../views/console/EmployeesPage.vue'), meta: { title: '员工管理', group: '企业信息' } },
  { path: 'enterprise/join-requests', name: 'console-join-requests', component: () => import('../views/console/JoinRequestsPage.vue'), meta: { title: '加入申请', group: '企业信息' } },
  { path: 'enterprise/roles', name: 'console-roles', component: () => import('../views/console/RolesPage.vue'), meta: { title: '角色管理', group: '企业信息' } },
  { path: 'forbidden', name: 'console-forbidden', component: () => import('../views/console/ForbiddenPage.vue'), meta: { title: '无权限' } },
  { path: 'registration', name: 'console-registration', component: () => import('../views/console/RegistrationPage.vue'), meta: { title: '注册信息', group: '企业信息' } },
  { path: 'enterprises/new', name: 'console-add-enterprise', component: () => import('../views/console/AddEnterprisePage.vue'), meta: { title: '添加企业' } },
  { path: 'join', name: 'console-join', component: () => import('../views/console/JoinPage.vue'), meta: { title: '申请加入企业' } },
  { path: 'account', name: 'console-account', component: () => import('../views/console/AccountPage.vue'), meta: { title: '账号设置' } },
  { path: 'policy/subscriptions', name: 'console-subscriptions', component: () => import('../views/console/policy/SubscriptionsPage.vue'), meta: { title: '政策订阅', group: '我的政策' } },
  { path: 'policy/news', name: 'console-policy-news', component: ConsoleInbox, meta: { title: '政策资讯/政策解读', group: '我的政策' } },
  { path: 'policy/calculator', name: 'console-calculator', component: () => import('../views/console/policy/CalculatorPage.vue'), meta: { title: '政策计算器', group: '我的政策' } },
  { path: 'policies/received', name: 'console-received', component: ConsoleInbox, meta: { title: '我收到的政策' } },
  { path: 'policies/received/:id(\\d+)', name: 'console-received-detail', component: () => import('../views/console/policy/ReceivedDetailPage.vue'), meta: { title: '政策详情', group: '我收到的政策' } },
  { path: 'messages', name: 'console-messages', component: () => import('../views/console/MessagesPage.vue'), meta: { title: '消息中心', group: '消息中心' } },
  { path: 'messages/settings', name: 'console-notify-settings', component: () => import('../views/console/NotifySettingsPage.vue'), meta: { title: '消息设置', group: '消息中心' } },
  // ---- issue 12: 外贸数据监测 (manual 5)
  { path: 'trade/export', name: 'console-trade-export', component: () => import('../views/console/trade/TradeReportsPage.vue'), meta: { title: '出口预测上报', group: '外贸数据监测', direction: 'export' } },
  { path: 'trade/import', name: 'console-trade-import', component: () => import('../views/console/trade/TradeReportsPage.vue'), meta: { title: '进口预测上报', group: '外贸数据监测', direction: 'import' } },
  // under its direction's list, so the menu shows where the report belongs
  { path: 'trade/:direction(export|import)/:id(\\d+)', name: 'console-trade-report', component: () => import('../views/console/trade/TradeReportPage.vue'), meta: { title: '预测申报表', group: '外贸数据监测' } },
  // ---- end issue 12
  // ---- 项目申报 (issue 13) ----
  { path: 'declarations', name: 'console-declarations', component: () => import('../views/console/declare/MyDeclarationsPage.vue'), meta: { title: '我的项目申报' } },
  { path: 'declarations/applications/:id(\\d+)', name: 'console-application', component: () => import('../views/console/declare/ApplicationPage.vue'), meta: { title: '项目申报', group: '我的项目申报' } },
  { path: 'declarations/applications/:id(\\d+)/receipt', name: 'console-application-receipt', component: () => import('../views/console/declare/ReceiptPage.vue'), meta: { title: '申报回执', group: '我的项目申报' } },
  // ---- end 项目申报 ----
  // ---- issue 14: questionnaires 问卷调查 (manual 8.1) ----
  { path: 'surveys', name: 'console-surveys', component: () => import('../views/console/survey/SurveysPage.vue'), meta: { title: '问卷调查' } },
  { path: 'surveys/:id(\\d+)', name: 'console-survey', component: () => import('../views/console/survey/AnswerPage.vue'), meta: { title: '填写问卷', group: '问卷调查' } },
  // ---- end issue 14 questionnaires ----
]

const adminChildren = [
  { path: '', name: 'admin-home', component: () => import('../views/admin/DashboardPage.vue'), meta: { title: '工作台' } },
  { path: 'registrations', name: 'admin-registrations', component: () => import('../views/admin/RegistrationsPage.vue'), meta: { title: '注册审核' } },
  { path: 'registrations/:id', name: 'admin-registration', component: () => import('../views/admin/RegistrationDetailPage.vue'), meta: { title: '注册详情', group: '注册审核' } },
  { path: 'enterprises', name: 'admin-enterprises', component: () => import('../views/admin/EnterprisesPage.vue'), meta: { title: '企业库' } },
  { path: 'enterprises/:id(\\d+)', name: 'admin-enterprise', component: () => import('../views/admin/EnterpriseDetailPage.vue'), meta: { title: '企业详情', group: '企业库' } },
  { path: 'enterprise-changes', name: 'admin-enterprise-changes', component: () => import('../views/admin/EnterpriseChangesPage.vue'), meta: { title: '信息变更审核' } },
  { path: 'invites', name: 'admin-invites', component: () => import('../views/admin/InvitesPage.vue'), meta: { title: '邀请链接' } },
  { path: 'dicts/:type?', name: 'admin-dicts', component: () => import('../views/admin/DictsPage.vue'), meta: { title: '字典管理' } },
  { path: 'staff', name: 'admin-staff', component: () => import('../views/admin/StaffPage.vue'), meta: { title: '人员管理' } },
  { path: 'roles', name: 'admin-roles', component: () => import('../views/admin/RolesPage.vue'), meta: { title: '角色管理' } },
  {
    path: 'forbidden', name: 'admin-forbidden', component: () => import('../views/console/ForbiddenPage.vue'), meta: { title: '无权限' },
    props: { home: '/admin', hint: '您的角色没有此功能的权限，如需使用请联系系统管理员分配角色。' },
  },
  { path: 'audit', name: 'admin-audit', component: () => import('../views/admin/AuditPage.vue'), meta: { title: '审计日志' } },
  { path: 'legal', name: 'admin-legal', component: () => import('../views/admin/LegalPage.vue'), meta: { title: '协议管理' } },
  { path: 'policies', name: 'admin-policies', component: ContentList, meta: { title: '政策管理', base: 'policies' } },
  { path: 'policies/:id(new|\\d+)', name: 'admin-policy', component: ContentEditor, meta: { title: '编辑政策', group: '政策管理', base: 'policies' } },
  { path: 'policies/:id(\\d+)/reach', name: 'admin-policy-reach', component: ReachPage, meta: { title: '触达统计', group: '政策管理', base: 'policies' } },
  { path: 'notices', name: 'admin-notices', component: ContentList, meta: { title: '通知公告', base: 'notices' } },
  { path: 'notices/:id(new|\\d+)', name: 'admin-notice', component: ContentEditor, meta: { title: '编辑公告', group: '通知公告', base: 'notices' } },
  { path: 'notices/:id(\\d+)/reach', name: 'admin-notice-reach', component: ReachPage, meta: { title: '触达统计', group: '通知公告', base: 'notices' } },
  { path: 'services', name: 'admin-services', component: () => import('../views/admin/content/ServicesAdminPage.vue'), meta: { title: '惠企服务' } },
  { path: 'subscription-rules', name: 'admin-subscription-rules', component: () => import('../views/admin/content/SubscriptionRulesPage.vue'), meta: { title: '订阅规则' } },
  { path: 'deliveries', name: 'admin-deliveries', component: () => import('../views/admin/DeliveriesPage.vue'), meta: { title: '发送记录' } },
  { path: 'message-templates', name: 'admin-message-templates', component: () => import('../views/admin/MessageTemplatesPage.vue'), meta: { title: '消息模板' } },
  // ---- issue 12: 外贸监测
  { path: 'trade/tasks', name: 'admin-trade-tasks', component: () => import('../views/admin/trade/TasksPage.vue'), meta: { title: '任务管理', group: '外贸监测' } },
  { path: 'trade/monitored', name: 'admin-trade-monitored', component: () => import('../views/admin/trade/MonitoredPage.vue'), meta: { title: '监测企业', group: '外贸监测' } },
  { path: 'trade/review', name: 'admin-trade-review', component: () => import('../views/admin/trade/ReviewPage.vue'), meta: { title: '上报审核', group: '外贸监测' } },
  { path: 'trade/progress', name: 'admin-trade-progress', component: () => import('../views/admin/trade/ProgressPage.vue'), meta: { title: '完成情况', group: '外贸监测' } },
  { path: 'trade/analysis', name: 'admin-trade-analysis', component: () => import('../views/admin/trade/AnalysisPage.vue'), meta: { title: '数据分析', group: '外贸监测' } },
  { path: 'trade/import', name: 'admin-trade-import', component: () => import('../views/admin/trade/ImportPage.vue'), meta: { title: '实际数据导入', group: '外贸监测' } },
  { path: 'trade/accuracy', name: 'admin-trade-accuracy', component: () => import('../views/admin/trade/AccuracyPage.vue'), meta: { title: '预测准确度', group: '外贸监测' } },
  // ---- end issue 12
  // ---- 项目申报 (issue 13) ----
  { path: 'declarations', name: 'admin-declarations', component: () => import('../views/admin/declare/CallsPage.vue'), meta: { title: '项目申报' } },
  { path: 'declarations/:id(new|\\d+)', name: 'admin-declaration', component: () => import('../views/admin/declare/CallEditorPage.vue'), meta: { title: '申报通知', group: '项目申报' } },
  { path: 'declarations/:id(\\d+)/applications', name: 'admin-declaration-apps', component: () => import('../views/admin/declare/ApplicationsPage.vue'), meta: { title: '申报审核', group: '项目申报' } },
  // ---- end 项目申报 ----
  // ---- issue 14: questionnaires 问卷管理 ----
  { path: 'surveys', name: 'admin-surveys', component: () => import('../views/admin/survey/SurveysPage.vue'), meta: { title: '问卷管理' } },
  { path: 'surveys/:id(new|\\d+)', name: 'admin-survey', component: () => import('../views/admin/survey/SurveyEditorPage.vue'), meta: { title: '编辑问卷', group: '问卷管理' } },
  { path: 'surveys/:id(\\d+)/results', name: 'admin-survey-results', component: () => import('../views/admin/survey/SurveyResultsPage.vue'), meta: { title: '问卷结果', group: '问卷管理' } },
  // ---- end issue 14 questionnaires ----
]

// ---- 咨询建议 (issue 14, consultations) ----
const consultPortal = [
  { path: 'consult', name: 'consult', component: () => import('../views/portal/consult/ConsultPage.vue'), meta: { title: '咨询建议' } },
]
const consultConsole = [
  { path: 'consultations', name: 'console-consult', component: () => import('../views/console/consult/ConsultListPage.vue'), meta: { title: '咨询建议' } },
  { path: 'consultations/:id(\\d+)', name: 'console-consult-thread', component: () => import('../views/console/consult/ConsultThreadPage.vue'), meta: { title: '咨询详情', group: '咨询建议' } },
]
const consultAdmin = [
  { path: 'consultations', name: 'admin-consultations', component: () => import('../views/admin/consult/QueuePage.vue'), meta: { title: '咨询处理' } },
  { path: 'consultations/:id(\\d+)', name: 'admin-consultation', component: () => import('../views/admin/consult/CasePage.vue'), meta: { title: '咨询办理', group: '咨询处理' } },
  { path: 'consultations/stats', name: 'admin-consult-stats', component: () => import('../views/admin/consult/StatsPage.vue'), meta: { title: '咨询统计', group: '咨询处理' } },
  { path: 'consultations/settings', name: 'admin-consult-settings', component: () => import('../views/admin/consult/SettingsPage.vue'), meta: { title: '咨询办理设置', group: '咨询处理' } },
]
const consultMobile = [
  { path: 'consultations', name: 'm-consult', component: () => import('../views/mobile/consult/ListPage.vue'), meta: { title: '咨询建议', back: true, auth: 'mobile' } },
  { path: 'consultations/new', name: 'm-consult-new', component: () => import('../views/mobile/consult/NewPage.vue'), meta: { title: '我要咨询', back: true, auth: 'mobile' } },
  { path: 'consultations/:id(\\d+)', name: 'm-consult-thread', component: () => import('../views/mobile/consult/ThreadPage.vue'), meta: { title: '咨询详情', back: true, auth: 'mobile' } },
]
consoleChildren.push(...consultConsole)
adminChildren.push(...consultAdmin)
// ---- end 咨询建议 ----

const routes = [
  {
    path: '/',
    component: PortalLayout,
    children: [
      { path: '', name: 'home', component: () => import('../views/portal/HomePage.vue'), meta: { title: '首页' } },
      { path: 'login', name: 'login', component: () => import('../views/portal/LoginPage.vue'), meta: { title: '企业登录' } },
      { path: 'register', name: 'register', component: () => import('../views/portal/RegisterPage.vue'), meta: { title: '企业注册' } },
      // district invite links (and their QR codes, ?via=qr): phones get the mobile form
      { path: 'r/:token', name: 'invite', component: () => import('../views/portal/RegisterPage.vue'), meta: { title: '企业注册' }, beforeEnter: toMobileOnPhones },
      { path: 'policies', name: 'policies', component: PortalContentList, meta: { title: '政策资讯' } },
      { path: 'policies/:id(\\d+)', name: 'policy', component: PortalContentDetail, meta: { title: '政策资讯' } },
      { path: 'notices', name: 'notices', component: PortalContentList, meta: { title: '通知公告', kind: 'notice' } },
      { path: 'notices/:id(\\d+)', name: 'notice', component: PortalContentDetail, meta: { title: '通知公告', kind: 'notice' } },
      { path: 'services', name: 'services', component: PortalServices, meta: { title: '惠企服务' } },
      { path: 'services/:id(\\d+)', name: 'service', component: PortalServices, meta: { title: '惠企服务' } },
      // ---- 项目申报 (issue 13) ----
      { path: 'declarations', name: 'declarations', component: () => import('../views/portal/declare/DeclarationsPage.vue'), meta: { title: '项目申报' } },
      { path: 'declarations/:id(\\d+)', name: 'declaration', component: () => import('../views/portal/declare/DeclarationDetailPage.vue'), meta: { title: '项目申报' } },
      // ---- end 项目申报 ----
      { path: 'reset-password', name: 'reset-password', component: () => import('../views/portal/ResetPasswordPage.vue'), meta: { title: '重置密码' } },
      ...consultPortal, // 咨询建议 (issue 14)
    ],
  },
  { path: '/account/password', name: 'password', component: PasswordPage, meta: { title: '修改密码', auth: 'enterprise', password: true } },
  { path: '/account/consent', name: 'consent', component: () => import('../views/shared/ConsentPage.vue'), meta: { title: '用户协议与隐私政策', auth: 'enterprise', consent: true } },
  { path: '/console', component: ConsoleLayout, meta: { auth: 'enterprise' }, children: consoleChildren },
  { path: '/admin/login', name: 'admin-login', component: () => import('../views/admin/AdminLogin.vue'), meta: { title: '管理后台登录' } },
  { path: '/admin/password', name: 'admin-password', component: PasswordPage, meta: { title: '修改密码', auth: 'staff', password: true } },
  { path: '/admin', component: AdminLayout, meta: { auth: 'staff' }, children: adminChildren },
  {
    path: '/m',
    component: MobileLayout,
    children: [
      { path: '', name: 'm-home', component: () => import('../views/mobile/HomePage.vue'), meta: { title: '首页', tab: true } },
      { path: 'policies', name: 'm-policies', component: () => import('../views/mobile/policy/PoliciesPage.vue'), meta: { title: '政策', tab: true } },
      { path: 'policies/calculator', name: 'm-calculator', component: () => import('../views/mobile/policy/CalculatorPage.vue'), meta: { title: '政策计算器', back: true, auth: 'mobile' } },
      { path: 'policies/:id(\\d+)', name: 'm-policy', component: () => import('../views/mobile/policy/PolicyDetailPage.vue'), meta: { title: '政策详情', back: true } },
      { path: 'me', name: 'm-me', component: () => import('../views/mobile/MePage.vue'), meta: { title: '我的', tab: true } },
      { path: 'staff', name: 'm-staff', component: () => import('../views/mobile/StaffPage.vue'), meta: { title: '我的员工', back: true, auth: 'mobile' } },
      { path: 'login', name: 'm-login', component: () => import('../views/mobile/LoginPage.vue'), meta: { title: '登录', back: true } },
      { path: 'register', name: 'm-register', component: () => import('../views/mobile/RegisterPage.vue'), meta: { title: '企业注册', back: true } },
      { path: 'r/:token', name: 'm-invite', component: () => import('../views/mobile/RegisterPage.vue'), meta: { title: '企业注册', back: true } },
      { path: 'password', name: 'm-password', component: () => import('../views/mobile/PasswordPage.vue'), meta: { title: '修改密码', back: true, auth: 'mobile', password: true } },
      { path: 'consent', name: 'm-consent', component: () => import('../views/mobile/ConsentPage.vue'), meta: { title: '用户协议与隐私政策', auth: 'mobile', consent: true } },
      { path: 'account', name: 'm-account', component: () => import('../views/mobile/AccountPage.vue'), meta: { title: '个人信息', back: true, auth: 'mobile' } },
      { path: 'messages', name: 'm-messages', component: () => import('../views/mobile/MessagesPage.vue'), meta: { title: '服务通知', back: true, auth: 'mobile' } },
      // ---- 项目申报 (issue 13) ----
      { path: 'declarations', name: 'm-declarations', component: () => import('../views/mobile/declare/DeclarationsPage.vue'), meta: { title: '项目申报', back: true, auth: 'mobile' } },
      { path: 'declarations/applications/:id(\\d+)', name: 'm-application', component: () => import('../views/mobile/declare/ApplicationPage.vue'), meta: { title: '项目申报', back: true, auth: 'mobile' } },
      // ---- end 项目申报 ----
      // ---- issue 14: questionnaires (manual 8.2) ----
      { path: 'surveys', name: 'm-surveys', component: () => import('../views/mobile/survey/SurveysPage.vue'), meta: { title: '问卷调查', back: true, auth: 'mobile' } },
      { path: 'surveys/:id(\\d+)', name: 'm-survey', component: () => import('../views/mobile/survey/AnswerPage.vue'), meta: { title: '填写问卷', back: true, auth: 'mobile' } },
      // ---- end issue 14 questionnaires ----
      { path: 'wechat', name: 'm-wechat', component: () => import('../views/mobile/WechatSettingsPage.vue'), meta: { title: '微信订阅设置', back: true, auth: 'mobile' } },
      // ---- issue 12: 工作台 and the forecast form (manual 6.1)
      { path: 'work', name: 'm-work', component: () => import('../views/mobile/trade/WorkbenchPage.vue'), meta: { title: '工作台', tab: true, auth: 'mobile' } },
      { path: 'trade/:id(\\d+)', name: 'm-trade', component: () => import('../views/mobile/trade/TradeFormPage.vue'), meta: { title: '外贸预测上报', back: true, auth: 'mobile' } },
      // ---- end issue 12
      ...consultMobile, // 咨询建议 (issue 14)
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    component: PortalLayout,
    children: [{ path: '', name: 'not-found', component: () => import('../views/portal/NotFoundPage.vue'), meta: { title: '页面不存在' } }],
  },
]

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior(to, from, saved) {
    return saved || { top: 0 }
  },
})

const LOGIN_OF = { enterprise: '/login', staff: '/admin/login', mobile: '/m/login' }
const PASSWORD_OF = { enterprise: '/account/password', staff: '/admin/password', mobile: '/m/password' }
// staff are not asked for the 用户协议/隐私政策 consent (docs/privacy.md)
const CONSENT_OF = { enterprise: '/account/consent', mobile: '/m/consent' }
// me.kind of the API: "user" (enterprise side) or "staff" (bureau)
const KIND_OF = { enterprise: 'user', staff: 'staff', mobile: 'user' }

function toMobileOnPhones(to) {
  if (typeof navigator !== 'undefined' && /Android|iPhone|iPod|Mobile|MicroMessenger/i.test(navigator.userAgent)) {
    return { path: `/m/r/${encodeURIComponent(to.params.token)}`, query: to.query }
  }
  return true
}

router.beforeEach(async (to) => {
  const auth = [...to.matched].reverse().find((r) => r.meta && r.meta.auth)?.meta.auth
  if (!auth) {
    // a logged-in account that owes the consent sees the dialog wherever it
    // goes in the mobile area (its 我的 page is open to guests too)
    const me = session.me
    if (to.path.startsWith('/m') && me && me.kind === 'user' && me.consent_required && !me.must_change_password) {
      return { path: CONSENT_OF.mobile, query: { next: to.fullPath } }
    }
    return true
  }
  let me = null
  try {
    me = await loadMe()
  } catch {
    me = null // server unreachable: treat as logged out, the login page says more
  }
  if (!me || !me.user || me.kind !== KIND_OF[auth]) {
    return { path: LOGIN_OF[auth], query: { next: to.fullPath } }
  }
  // an initial or one-time password must be changed before anything else
  if (me.must_change_password && !to.meta.password) {
    return { path: PASSWORD_OF[auth], query: { next: to.fullPath } }
  }
  // then the 用户协议/隐私政策, before anything else of the account's
  if (me.consent_required && CONSENT_OF[auth] && !to.meta.password && !to.meta.consent) {
    return { path: CONSENT_OF[auth], query: { next: to.fullPath } }
  }
  if (to.meta.consent && !me.consent_required) return { path: auth === 'mobile' ? '/m/me' : '/console' }
  // console: pages the member's permissions allow; 行业分类 first (manual 重点提示)
  if (auth === 'enterprise' && to.path.startsWith('/console')) return consoleGuard(to, me)
  // bureau: pages the staff member's roles allow, else 无权限
  if (auth === 'staff' && !staffCanOpen(to.name, me)) return { name: 'admin-forbidden', query: { from: to.fullPath } }
  return true
})

router.afterEach((to) => {
  const t = to.meta && to.meta.title
  const area = to.path.startsWith('/admin') ? '管理后台' : to.path.startsWith('/console') ? '企业后台' : ''
  document.title = [t, area, '福州市商务局政企互动平台'].filter(Boolean).join(' - ')
})

export default router
