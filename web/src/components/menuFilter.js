// The side menu of both consoles reduced to what the signed-in person may
// open: an entry whose route `name` fails `canOpen` is left out, and a
// group keeps the children allowed and disappears without any.
export function allowedMenu(menu, canOpen) {
  return menu.flatMap((m) => {
    if (!m.children) return canOpen(m.name) ? [m] : []
    const children = m.children.filter((c) => canOpen(c.name))
    return children.length ? [{ ...m, children }] : []
  })
}
