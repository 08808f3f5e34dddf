// The logged-in person's own invitations to join enterprises
// (GET /me/invitations, accept, decline — src/member/invitation_me.c), kept
// in one reactive list so the console banner, the enterprise switcher and
// mobile 我的 show the same thing. Accepting answers the new "me" document,
// which becomes the page's session (the enterprise appears in the switcher).
import { reactive } from 'vue'
import { get, notify, post } from './client.js'
import { accept as acceptMe, isUser, session } from './auth.js'

export const myInvitations = reactive({ items: [], loaded: false })

/** Reloads the list (nothing for staff or guests). Never rejects. */
export async function loadMyInvitations() {
  if (!isUser(session.me) || session.me.must_change_password) {
    myInvitations.items = []
    return myInvitations.items
  }
  try {
    const d = await get('/me/invitations', { notify: false })
    myInvitations.items = d.items || []
  } catch { /* a banner that cannot load shows nothing */ }
  myInvitations.loaded = true
  return myInvitations.items
}

/** POST /me/invitations/:id/accept → me; the list is reloaded. */
export async function acceptInvitation(id) {
  const me = await post(`/me/invitations/${id}/accept`, {}, { notify: false })
  acceptMe(me)
  await loadMyInvitations()
  return me
}

/** POST /me/invitations/:id/decline; the list is reloaded. */
export async function declineInvitation(id) {
  await post(`/me/invitations/${id}/decline`, {}, { notify: false })
  await loadMyInvitations()
}

/**
 * Accepts (yes) or declines invitation i and tells the person how it went
 * (the banner and mobile 我的 share the words). Resolves to the me document
 * after an accept, null otherwise; never rejects.
 */
export async function answerInvitation(i, yes) {
  try {
    const me = yes ? await acceptInvitation(i.id) : null
    if (!yes) await declineInvitation(i.id)
    notify(yes ? `您已加入“${i.enterprise.name}”` : `已拒绝“${i.enterprise.name}”的邀请`, 'success')
    return me
  } catch (e) {
    notify(e.message)
    loadMyInvitations()
    return null
  }
}
