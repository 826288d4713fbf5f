/** The dispatch workspace (/console) in Chinese; en has the same keys (desk.en.ts). */
export default {
  action: {
    verify: '核实', file: '立案', reject: '不予立案', dispatch: '派遣', return: '退回', accept: '签收',
    report_progress: '进展', submit_feedback: '反馈', start_check: '核查', check_pass: '结案', rework: '返工',
    urge: '督办', request_extension: '申请延期', approve_extension: '批准延期', refuse_extension: '驳回延期',
    merge: '合并', split: '拆分', acknowledge: '确认警报', escalate: '升级',
  },
  desk: {
    tabs: { intake: '待受理', toDispatch: '待派遣', inHand: '处置中', toCheck: '待核查', overdue: '超期' },
    search: '搜索编号、标题、地址',
    sort: { label: '排序', sla: '剩余时限', severity: '级别', time: '上报时间' },
    filter: { severity: '级别', category: '类别', source: '来源', region: '区域', assignee: '处置人', mine: '我的', all: '全部', clear: '清除筛选' },
    empty: '没有符合条件的事件',
    shown: '共 {n} 件',
    noDeadline: '未派遣',
    left: '剩 {t}',
    overdueBy: '超期 {t}',
    drawer: {
      close: '关闭 (Esc)', category: '类别', severity: '级别', place: '位置', address: '地址', reports: '关联报告 ({n})',
      reporter: '报告人', anonymous: '匿名', media: '附件', history: '处置记录', holder: '当前处置', assignee: '主办',
      assisting: '协办', none: '无', sla: '处置时限', loading: '加载中…', failed: '加载失败：{m}', description: '描述',
      outside: '网格外', version: '版本 {v}',
    },
    note: '备注（{action}需填写原因）',
    notePlaceholder: '填写说明…',
    noteRequired: '请先填写原因',
    noActions: '当前无可执行操作',
    dispatch: {
      title: '派遣', top: '推荐', topOne: '派给首选', other: '其他处置人', pick: '选择网格员', assisting: '协办单位',
      send: '派遣', missing: '此服务器尚未提供{what}，该部分已隐藏', candidates: '推荐', workers: '网格员名单', parties: '协办单位名录',
      loading: '加载中…', none: '无可选', failed: '加载失败：{m}',
    },
    reason: {
      distance_m: '距离 {v} 米', distance_km: '距离 {v} 公里', live_position: '实时位置', home_grid: '本网格', on_duty: '在岗', off_duty: '不在岗',
      open_cases: '在办 {v} 件', handles_category: '对口', not_category: '非对口', on_time_rate: '按期率 {v}%', no_rate: '暂无按期记录',
    },
    keys: '快捷键：J/K 上下 · V 核实 · F 立案 · D 派遣 · R 不予立案 · Esc 关闭',
    conflict: '该事件已被 {actor} 于 {at} 更改（{action}），已重新加载',
    done: '已{action}',
    alert: {
      title: { critical: '紧急事件', high: '严重事件' }, ack: '确认', open: '查看', muteHigh: '静音严重级', unmuted: '严重级提示音开',
      critialNoMute: '紧急级不可静音', ackFailed: '确认未记录（{code}）', escalated: { reminded: '时限提醒', warned: '时限预警', overdue: '超期督办', urged: '督办' },
      dismiss: '知道了',
    },
    role: { admin: '管理员', leader: '领导', dispatcher: '值班员', worker: '网格员', wall: '大屏', system: '系统' },
    stepper: '处置阶段',
  },
};
