// The logged-in person's own invitations to join enterprises
// (GET /me/invitations, accept, decline — src/member/invitation_me.c), kept
// in one reactive list so the console banner, the enterprise switcher and
// mobile 我的 show the same thing. Accepting answers the new "me" document,
// which becomes the page's session (the enterprise appears in the switcher).
import { reactive } from 'vue'
import { get, post } from './client.js'
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
