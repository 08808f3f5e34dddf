-- Personal information (个人信息保护法, GB/T 35273): the 用户协议 and 隐私政策
-- with every version kept, each account's consents, and the mark of a
-- closed (注销) account. The first versions are seeded here so a fresh
-- database can take registrations at once; staff publish new versions
-- from 协议管理 (src/legal/docs.c). Bodies are plain text with simple
-- Markdown (# headings, - items); HTML is refused on the way in.

CREATE TABLE legal_doc (
  id             {ID},
  kind           VARCHAR(16) NOT NULL,            -- terms | privacy
  version        INTEGER NOT NULL,                -- 1, 2, … per kind; the highest is current
  title          VARCHAR(100) NOT NULL,
  body           TEXT NOT NULL,
  effective_at   BIGINT NOT NULL,
  editor_staff_id BIGINT REFERENCES staff(id),    -- NULL for the seeded first versions
  editor_name    VARCHAR(64) NOT NULL,
  created_at     BIGINT NOT NULL,
  UNIQUE (kind, version)
);

-- One row per consent given: who, which versions, when, where from. Rows
-- are never updated; the newest row of an account is its consent.
CREATE TABLE user_consent (
  id               {ID},
  user_id          BIGINT NOT NULL REFERENCES app_user(id),
  terms_version    INTEGER NOT NULL,
  privacy_version  INTEGER NOT NULL,
  channel          VARCHAR(8) NOT NULL,           -- web | mobile | link | qr (registration) 
  ip               VARCHAR(64),
  user_agent       VARCHAR(200),
  created_at       BIGINT NOT NULL
);
CREATE INDEX user_consent_user ON user_consent(user_id, id);

-- 0 = open; else when the account was closed (its name, phone and password
-- were cleared then; the row stays so audit records keep their actor id).
ALTER TABLE app_user ADD COLUMN closed_at BIGINT NOT NULL DEFAULT 0;

INSERT INTO legal_doc(kind, version, title, body, effective_at, editor_name, created_at) VALUES ('terms', 1, '福州市商务局政企互动平台用户协议', '# 一、协议的范围
福州市商务局政企互动平台（以下简称“本平台”）由福州市商务局（以下简称“我们”）建设和运营，为在福州市登记的企业及其工作人员提供企业注册、政策推送、外贸数据监测、项目申报、问卷调查、咨询建议等政务服务。您在注册、登录和使用本平台前，请仔细阅读本协议以及《隐私政策》。您勾选“我已阅读并同意”或点击“同意并继续”，即表示您已充分理解并同意本协议的全部内容。

# 二、账号注册与使用
- 您应使用本人实名登记的中国大陆手机号注册，并如实、完整地填写企业及本人信息；企业信息须与营业执照一致。
- 账号仅限本人使用。请妥善保管密码和短信验证码，不得出借、转让或与他人共用账号；因保管不善造成的损失由您自行承担。
- 以企业法定代表人身份注册的，您应确保已取得企业授权；为其他员工开通账号的，您应事先告知其本人并取得同意。
- 发现账号被他人冒用或存在安全风险时，请立即修改密码并联系我们。

# 三、使用规范
- 您提交的申报材料、预测数据、问卷答复和咨询内容应当真实、准确、合法，不得含有虚假、侵权或违法的信息。
- 不得以任何方式干扰本平台正常运行，不得批量注册、自动化抓取数据、探测系统漏洞或绕过访问控制。
- 违反上述约定的，我们有权视情节暂停或停用相关账号，并依法移送有关部门处理。

# 四、服务的变更与中断
我们会尽力保障平台稳定运行，但因系统维护、升级或不可抗力，服务可能暂时中断；维护计划将提前在平台公告。

# 五、协议的更新
本协议更新后，我们将在您下次登录时展示新版本并再次征得您的同意；您不同意的，可以退出登录并申请注销账号。

# 六、账号注销
您可以在“账号设置”中自行注销账号（需通过本人手机短信验证）。您是企业法定代表人的，须先将法定代表人身份转让给企业其他成员。注销后您将无法再登录，个人信息按《隐私政策》处理。

# 七、法律适用与争议解决
本协议适用中华人民共和国法律。因本协议发生的争议，双方应友好协商；协商不成的，依法向福州市有管辖权的人民法院提起诉讼。

# 八、联系我们
福州市商务局，地址：福州市鼓楼区；咨询电话：0591-12345（工作日 8:30—17:30）。', {NOW}, '系统初始版本', {NOW});

INSERT INTO legal_doc(kind, version, title, body, effective_at, editor_name, created_at) VALUES ('privacy', 1, '福州市商务局政企互动平台隐私政策', '# 一、引言
福州市商务局（以下简称“我们”）依据《中华人民共和国个人信息保护法》《中华人民共和国网络安全法》和 GB/T 35273《信息安全技术 个人信息安全规范》，在福州市商务局政企互动平台（以下简称“本平台”）处理您的个人信息。本政策说明我们收集哪些信息、为何收集、保存多久、您享有哪些权利以及如何联系我们。

# 二、我们收集的信息
- 账号信息：手机号、姓名、登录密码（仅保存不可逆的加密摘要）。手机号用于登录、接收验证码和政务通知。
- 企业登记信息：您代表企业填报的企业名称、统一社会信用代码、法定代表人及联系人的姓名和手机号、所属区域、行业、经营信息等，用于企业注册审核、政策精准推送和统计分析。
- 企业成员关系：您所属的企业、担任的角色、加入和退出时间，以及加入企业的申请记录。
- 操作日志：登录、修改密码、提交和审核等操作的时间、IP 地址、浏览器信息（User-Agent）和操作结果，用于安全审计和追溯，防止账号被盗用。
- 短信记录：向您的手机号发送验证码的时间、用途和发送状态（不保存验证码明文）。
- 同意记录：您同意本政策和《用户协议》的版本、时间、渠道和 IP 地址。

# 三、我们如何使用这些信息
- 为您开通账号、验证身份、保障账号安全；
- 办理企业注册审核、信息变更审核、政策推送、外贸数据监测、项目申报、问卷调查和咨询答复等政务服务；
- 依法进行安全审计，配合有权机关依法调取。
我们不会将您的个人信息用于上述目的以外的用途，不会出售您的个人信息，也不会向第三方提供，法律法规另有规定的除外。

# 四、保存期限
- 账号信息保存至您注销账号；注销后姓名、手机号和密码立即清除，仅保留不可识别个人的账号编号。
- 会话记录在会话结束后定期清理；短信验证码在过期后清理。
- 操作日志和同意记录作为政务安全审计记录，自产生之日起保存不少于六个月，按档案管理规定到期后处理；日志以不可篡改的方式保存，注销账号不会改写既有日志。
- 企业登记信息属于企业的政务档案，按档案管理规定保存。

# 五、您的权利
- 查阅和复制：您可以在“账号设置 — 个人信息”中查看本平台保存的您的个人信息，并下载 JSON 副本。
- 更正：您可以修改密码；企业信息可由企业在“企业信息”中申请变更；其他信息有误的，请联系我们更正。
- 撤回同意与注销：您可以在“账号设置”中注销账号，注销后我们将停止处理您的个人信息（法律法规要求保存的审计记录除外）。
- 您对本政策有疑问或投诉的，可以通过下方方式联系我们，我们将在十五个工作日内答复。

# 六、信息安全
我们采取传输加密、密码加密存储、访问控制、最小权限、操作审计等措施保护您的个人信息；工作人员查看个人信息均有记录。发生个人信息安全事件时，我们将依法告知您并向主管部门报告。

# 七、政策的更新
本政策更新后，我们将在您下次登录时展示新版本并再次征得您的同意。

# 八、联系我们
个人信息保护负责部门：福州市商务局办公室；地址：福州市鼓楼区；电话：0591-12345（工作日 8:30—17:30）。', {NOW}, '系统初始版本', {NOW});
