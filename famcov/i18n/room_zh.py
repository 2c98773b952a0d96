"""zh messages of the training room (issue 10): receipt export, own-family practice."""

MESSAGES: dict[str, str] = {
    "opt.--export": "把回执另存为图片或网页：文件名以 .svg 或 .html 结尾（身份证号已隐藏）",
    "error.EXPORT_FORMAT": "无法导出到 {path}：只支持 .svg（图片）或 .html（网页），请换用这两种文件名后缀。",
    "error.EXPORT_IS_FOLDER": "无法导出到 {path}：这是一个文件夹，请给出文件名，例如 {path}/回执.svg。",
    "error.EXPORT_FAILED": "无法写入 {path}（{problem}），回执未导出；请检查文件夹是否存在、是否有写入权限，或换一个位置。",
    "receipt.exported": "回执已导出到 {path}（身份证号已隐藏）。",
    "export.no_folder": "文件夹不存在",
    "export.no_permission": "没有写入权限",
    "export.disk_full": "磁盘空间已满",
    "error.INTERRUPTED_AFTER_SAVES": "已中断。本次已保存：{saved}；当前步骤未写入任何内容。",
    "saved.pay": "代缴 {no}（{name} {year} 年度）",
    "saved.revoke": "撤销 {no}",
    "saved.bind": "绑定 {name}",
    "saved.verify": "{name} 人脸认证",
    "saved.unbind": "解除绑定 {name}",
    "saved.demo": "演示家庭",
    "saved.scenario": "场景 {name}",
}
