// The seven profile sections as the bureau's detail page shows them: one
// tab each, its tables and their columns (field names of docs/profile.md,
// "Sections"). A table may keep only the records of one `kind`.

export const LEVELS = { national: '国家级', provincial: '省级', municipal: '市级', district: '区县级', none: '无' }
const IP_KINDS = { patent: '专利', trademark: '商标', copyright: '著作权' }
const IP_STATUS = { valid: '有效', pending: '审查中', expired: '已失效', invalid: '无效' }
const PATENT_TYPES = { invention: '发明', utility: '实用新型', design: '外观设计' }
const PROJECT_STATUS = { planned: '计划中', ongoing: '进行中', completed: '已完成', suspended: '已暂停' }
const CARRIER_KINDS = { incubator: '孵化器', accelerator: '加速器', maker_space: '众创空间', park: '产业园区', platform: '公共服务平台', other: '其他' }
const RELATIONS = { operates: '运营', resides: '入驻' }

const wan = (v) => (v === null || v === undefined || v === '' ? '—' : `${v}`)
const of = (map) => (v) => (v ? map[v] || v : '—')

export const SECTIONS = [
  {
    key: 'qualifications', title: '企业资质', empty: '暂无企业资质',
    tables: [{
      columns: [
        { key: 'name', label: '资质名称', min: 160 },
        { key: 'level', label: '等级', width: 90 },
        { key: 'issuer', label: '发证机关', min: 140 },
        { key: 'cert_no', label: '证书编号', min: 140 },
        { key: 'issued_on', label: '发证日期', width: 110 },
        { key: 'expires_on', label: '有效期至', width: 150, slot: 'expires' },
        { key: 'file', label: '附件', min: 120, slot: 'file' },
      ],
    }],
  },
  {
    key: 'tech', title: '技术能力', empty: '暂无技术能力信息',
    tables: [
      {
        title: '研发投入', kind: 'rd',
        columns: [
          { key: 'year', label: '年份', width: 90 },
          { key: 'rd_staff', label: '研发人员（人）' },
          { key: 'rd_spending', label: '研发经费（万元）', fmt: wan },
        ],
      },
      {
        title: '研发平台/中心', kind: 'platform',
        columns: [
          { key: 'name', label: '平台名称', min: 180 },
          { key: 'level', label: '级别', width: 90, fmt: of(LEVELS) },
          { key: 'approved_by', label: '认定部门', min: 140 },
          { key: 'year', label: '认定年份', width: 100 },
        ],
      },
      {
        title: '科技奖项', kind: 'award',
        columns: [
          { key: 'name', label: '奖项名称', min: 180 },
          { key: 'level', label: '级别', width: 90, fmt: of(LEVELS) },
          { key: 'issuer', label: '颁发单位', min: 140 },
          { key: 'year', label: '获奖年份', width: 100 },
          { key: 'file', label: '附件', min: 120, slot: 'file' },
        ],
      },
    ],
  },
  {
    key: 'personnel', title: '人事信息', empty: '暂无人事信息',
    tables: [{
      columns: [
        { key: 'year', label: '年份', width: 90 },
        { key: 'total_staff', label: '员工总数' },
        { key: 'rd_staff', label: '研发人员' },
        { key: 'degree_staff', label: '大专及以上学历' },
        { key: 'new_hires', label: '新增就业' },
        { key: 'insured_staff', label: '参保人数' },
      ],
    }],
  },
  {
    key: 'operations', title: '经营数据', empty: '暂无经营数据', chart: true,
    tables: [{
      columns: [
        { key: 'year', label: '年份', width: 90 },
        { key: 'revenue', label: '营业收入（万元）', fmt: wan },
        { key: 'profit', label: '利润总额（万元）', fmt: wan },
        { key: 'tax', label: '纳税额（万元）', fmt: wan },
        { key: 'export', label: '出口额（万元）', fmt: wan },
        { key: 'import', label: '进口额（万元）', fmt: wan },
        { key: 'assets', label: '资产总额（万元）', fmt: wan },
      ],
    }],
  },
  {
    key: 'ip', title: '知识产权', empty: '暂无知识产权',
    tables: [{
      columns: [
        { key: 'kind', label: '类型', width: 110, fmt: (v, r) => (v === 'patent' && r.patent_type ? `${PATENT_TYPES[r.patent_type] || r.patent_type}专利` : v === 'trademark' && r.class_no ? `商标（第${r.class_no}类）` : of(IP_KINDS)(v)) },
        { key: 'number', label: '编号', min: 140 },
        { key: 'title', label: '名称', min: 180 },
        { key: 'granted_on', label: '授权日期', width: 110 },
        { key: 'status', label: '状态', width: 90, fmt: of(IP_STATUS) },
        { key: 'file', label: '附件', min: 120, slot: 'file' },
      ],
    }],
  },
  {
    key: 'projects', title: '项目信息', empty: '暂无项目信息',
    tables: [{
      columns: [
        { key: 'name', label: '项目名称', min: 180 },
        { key: 'type', label: '类型', width: 110 },
        { key: 'amount', label: '投资额（万元）', width: 130, fmt: wan },
        { key: 'start_on', label: '开始日期', width: 110 },
        { key: 'end_on', label: '结束日期', width: 110 },
        { key: 'status', label: '状态', width: 90, fmt: of(PROJECT_STATUS) },
        { key: 'description', label: '简介', min: 200 },
      ],
    }],
  },
  {
    key: 'carriers', title: '载体信息', empty: '暂无载体信息',
    tables: [{
      columns: [
        { key: 'name', label: '载体名称', min: 180 },
        { key: 'kind', label: '类型', width: 120, fmt: of(CARRIER_KINDS) },
        { key: 'relation', label: '关系', width: 80, fmt: of(RELATIONS) },
        { key: 'level', label: '级别', width: 90, fmt: of(LEVELS) },
        { key: 'area', label: '面积（㎡）', width: 110 },
        { key: 'address', label: '地址', min: 180 },
      ],
    }],
  },
]

// Series of the 经营数据 chart (one at a time: BarChart draws one series).
export const OPERATION_METRICS = [
  { key: 'revenue', label: '营业收入' },
  { key: 'profit', label: '利润总额' },
  { key: 'tax', label: '纳税额' },
  { key: 'export', label: '出口额' },
  { key: 'import', label: '进口额' },
  { key: 'assets', label: '资产总额' },
]

export function cellText(col, row) {
  const v = row[col.key]
  if (col.fmt) return col.fmt(v, row)
  return v === null || v === undefined || v === '' ? '—' : String(v)
}
