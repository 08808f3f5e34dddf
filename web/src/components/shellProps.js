// The props AppShell (the console layout) and ShellNav (its navigation
// column, in the aside or the drawer) share: AppShell hands them on as is.
export const shellAreaProps = {
  variant: { type: String, default: 'console' }, // console | admin
  areaName: { type: String, required: true },
  home: { type: String, required: true },
  menu: { type: Array, required: true }, // [{index,label,icon,children?:[{index,label}]}]
}
