/** Community life (issue 11) on the wall: its panel and the grid panel (the console's part: care-console.zh-CN.ts). */
export default {
  care: {
    title: '社区生活 · 关爱探访',
    synthetic: '合成演示数据',
    isolation: '独居老人未触达',
    coverage: { weekly: '周访覆盖', monthly: '月访覆盖', quarterly: '季访覆盖' },
    tier: { weekly: '每周', monthly: '每月', quarterly: '每季' },
    overdue: '逾期探访',
    thisWeek: '本周活动',
    noActivities: '本周暂无活动',
    attendance: '参与人次（周）',
    topTeams: '志愿服务时长 TOP',
    hours: '{n} 小时',
    gridTitle: '关爱与探访',
    residents: '关爱对象',
    livingAlone: '独居',
    visits30d: '30天探访',
    weekday: { 0: '周日', 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六' },
    kind: { calligraphy: '书画', choir: '合唱', square_dance: '广场舞', elder_college: '老年大学', sichuan_opera: '川剧', parent_child: '亲子', health_talk: '健康讲座', newcomer: '新市民', other: '其他' },
  },
};
