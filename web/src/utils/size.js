// A file size as people read it (上传、附件、申报材料).

/** 1536 → "1.5 KB"; 3145728 → "3.0 MB". */
export function sizeText(n) {
  if (n >= 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + ' MB'
  if (n >= 1024) return (n / 1024).toFixed(1) + ' KB'
  return n + ' 字节'
}
