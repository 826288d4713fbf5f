/** The grid-worker app (/m) in Chinese; en has the same keys (mobile.en.ts). */
export default {
  m: {
    appName: '网格员',
    nav: { tasks: '我的任务', report: '巡查上报', reports: '我的上报', visits: '探访' },
    signIn: { title: '网格员登录', hint: '使用网格员账号登录；登录后离线也可查看任务', notWorker: '该账号不是网格员账号，请使用网格员账号', signOut: '退出登录' },
    sync: { pending: '待同步 {n}', synced: '已同步', offline: '离线', online: '在线', failed: '{n} 项未能提交', dismiss: '知道了', needSignIn: '登录已过期，请重新登录后继续同步' },
    tasks: {
      empty: '暂无待办任务', lead: '主办', assisting: '协办', left: '剩 {t}', overdue: '超期 {t}', noDue: '无时限', refresh: '刷新',
      away: '距我 {d}', waiting: '待核查', count: '共 {n} 件',
    },
    task: {
      back: '返回', stage: '当前阶段', description: '描述', reports: '关联报告 ({n})', media: '照片', history: '处置记录',
      place: '位置', distance: '距我 {d}', noPosition: '未获取到定位', due: '处置时限', none: '无', loading: '加载中…',
      notFound: '未找到该任务（可能已改派）', cached: '离线数据，联网后更新', noActions: '当前无需处理', extensionPending: '延期申请审批中',
      queued: '已加入待同步队列', sent: '已提交', category: '类别', noDescription: '（无描述）',
    },
    form: {
      note: '说明', notePlaceholder: '填写处置情况…', reason: '原因', reasonPlaceholder: '填写原因…', proposeDue: '申请延至（可选）',
      photos: '照片', takePhoto: '拍照', choosePhoto: '相册', photoShrinking: '处理中…', removePhoto: '删除照片', submit: '提交', cancel: '取消', noteRequired: '请填写说明',
    },
    report: {
      title: '巡查上报', category: '事件类别', common: '常用', search: '搜索类别', noMatch: '没有匹配的类别', place: '位置',
      locating: '正在定位…', located: '已按手机定位（±{m} 米），可拖动地图上的标记调整', moved: '已手动调整位置', noLocation: '无法获取定位，请拖动标记到事发位置',
      note: '描述', notePlaceholder: '描述现场情况…', submit: '提交上报', pickCategory: '请选择类别', done: '已上报，可在「我的上报」查看结果',
    },
    reports: {
      empty: '还没有上报', status: '状态', merged: '已与 {n} 条报告合并', pending: '待同步', failed: '未能提交', incident: '事件 {id}',
      mergedInto: '已并入 {id}',
    },
    conflict: {
      title: '提交未生效', moved: '「{action}」未生效：该任务已有新的变化（{message}），请查看最新状态',
      rejected: '「{what}」被拒绝：{message}', orphan: '照片未能提交：所属上报未成功',
    },
    geo: { denied: '未获得定位权限' },
    lang: '切换语言 / Language',
    visits: {
      title: '关爱探访', empty: '本网格暂无需探访的对象', overdue: '逾期 {n} 天', due: '应于 {date} 前探访',
      last: '上次探访 {date}', never: '尚未探访', queued: '已探访（待同步）', visited: '已探访',
      well: '情况良好', needsHelp: '需要帮助', note: '备注（可选）', cancel: '取消', failed: '无法加载探访名单', offline: '离线：显示 {time} 的名单',
      sent: '探访已记录', tier: { weekly: '每周', monthly: '每月', quarterly: '每季度' },
    },
  },
};
