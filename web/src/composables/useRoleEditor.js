// The role editor both consoles share (enterprise 角色管理 and the bureau's
// 角色管理): the add/edit dialog with its checks as you type, the server's
// field errors, save and delete with confirmation. The page passes its own
// list, reload and API calls; the permission catalogues differ, the flow not.
import { reactive, ref } from 'vue'
import { ElMessageBox } from 'element-plus/es'
import { notify } from '../api/client.js'
import { useServerErrors } from './useServerErrors.js'

/**
 * @param {{ rows: import('vue').Ref<Array>, load: Function, create: Function, update: Function,
 *           remove: Function, requirePermissions?: boolean }} o
 */
export function useRoleEditor(o) {
  const formRef = ref()
  const dlg = reactive({ open: false, busy: false, id: null, form: { name: '', permissions: [] } })
  const err = useServerErrors(dlg.form, ['name', 'permissions'])
  const rules = {
    name: [{
      trigger: ['blur', 'change'],
      validator: (_r, v, cb) => {
        const s = String(v || '').trim()
        if (!s) return cb(new Error('请输入角色名称'))
        if (s.length > 30) return cb(new Error('角色名称不能超过30个字符'))
        if (o.rows.value.some((r) => r.name === s && r.id !== dlg.id)) return cb(new Error('已有同名角色'))
        cb()
      },
    }],
  }
  if (o.requirePermissions) {
    rules.permissions = [{
      trigger: 'change',
      validator: (_r, v, cb) => (v && v.length ? cb() : cb(new Error('请至少选择一项权限'))),
    }]
  }

  function openEdit(row) {
    dlg.id = row ? row.id : null
    dlg.form.name = row ? row.name : ''
    dlg.form.permissions = row ? [...row.permissions] : []
    err.clear()
    dlg.open = true
    setTimeout(() => formRef.value && formRef.value.clearValidate(), 0)
  }

  async function submit() {
    err.clear()
    try { await formRef.value.validate() } catch { return }
    dlg.busy = true
    const body = { name: dlg.form.name.trim(), permissions: [...dlg.form.permissions] }
    try {
      if (dlg.id) await o.update(dlg.id, body)
      else await o.create(body)
      dlg.open = false
      notify(`已保存角色“${body.name}”`, 'success')
      o.load()
    } catch (e) {
      err.show(e)
    } finally {
      dlg.busy = false
    }
  }

  async function remove(row) {
    try {
      await ElMessageBox.confirm(`确认删除角色“${row.name}”？`, '删除角色', {
        type: 'warning', confirmButtonText: '删除', cancelButtonText: '取消', confirmButtonClass: 'el-button--danger',
      })
    } catch { return }
    try {
      await o.remove(row.id)
      notify(`已删除角色“${row.name}”`, 'success')
      o.load()
    } catch (e) {
      notify(e.message)
    }
  }

  return { formRef, dlg, err, rules, openEdit, submit, remove }
}
