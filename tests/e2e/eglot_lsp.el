;;; eglot_lsp.el --- Emacs + eglot as the LSP client of `dlint server`  -*- lexical-binding: t -*-
;;
;; Batch Emacs opens a Dockerfile with eglot, waits for dlint's diagnostics (through flymake),
;; hovers, applies the preferred quick fix and `source.fixAll` the way eglot's commands do,
;; writes a dlint.toml and waits for the diagnostics to follow, shuts the server down, and
;; writes what it saw as JSON for tests/editors.rs.
;;
;;   DLINT_BIN=dlint LSP_FILE=Dockerfile LSP_OUT=out.json emacs --batch -l tests/e2e/eglot_lsp.el
;;
;; Emacs 28 (Debian bookworm) with Debian's elpa-eglot (eglot 1.9), or any newer eglot.

(require 'package)
(package-initialize)
(require 'eglot)
(require 'json)
(require 'cl-lib)

(defvar dlint-e2e-result nil)
(defun dlint-e2e-put (key value) (push (cons key value) dlint-e2e-result))
(defvar dlint-e2e-timeout (/ (string-to-number (or (getenv "LSP_TIMEOUT_MS") "30000")) 1000.0))

(defun dlint-e2e-wait (predicate)
  "Run timers and read the server until PREDICATE holds or the timeout passes."
  (let ((deadline (+ (float-time) dlint-e2e-timeout)) (ok nil))
    (while (and (not (setq ok (funcall predicate))) (< (float-time) deadline))
      ;; Batch Emacs is never idle, so the idle timer eglot sends its pending changes from
      ;; never fires: send them as that timer would.
      (when (eglot-current-server) (eglot--signal-textDocument/didChange))
      (accept-process-output nil 0.05)
      (when (bound-and-true-p flymake-mode) (flymake-start)))
    (and ok t)))

(defun dlint-e2e-codes ()
  "The rule codes of the flymake diagnostics in the buffer, sorted."
  (sort (delete-dups
         (cl-loop for d in (flymake-diagnostics)
                  for text = (flymake-diagnostic-text d)
                  when (string-match "\\[\\([A-Z]+[0-9]+\\)\\]" text)
                  collect (match-string 1 text)))
        #'string<))

(define-derived-mode dockerfile-mode prog-mode "Dockerfile")
(setq eglot-server-programs
      `((dockerfile-mode . (,(or (getenv "DLINT_BIN") "dlint") "server"))))
(setq eglot-sync-connect t
      eglot-autoshutdown nil
      flymake-no-changes-timeout nil)

(let* ((file (expand-file-name (or (getenv "LSP_FILE") "Dockerfile")))
       (out (or (getenv "LSP_OUT") "eglot-lsp.json"))
       (root (file-name-directory file)))
  (dlint-e2e-put 'emacs_version emacs-version)
  (dlint-e2e-put 'eglot_version (if (boundp 'eglot--version) eglot--version
                                  (let ((lib (locate-library "eglot"))) (or lib ""))))
  (find-file file)
  (dockerfile-mode)
  (condition-case err
      (progn
        (eglot '(dockerfile-mode) `(transient . ,root) 'eglot-lsp-server
               (list (or (getenv "DLINT_BIN") "dlint") "server") "dockerfile")
        (let ((server (eglot-current-server)))
          (dlint-e2e-put 'connected (and server t))
          (dlint-e2e-put 'diagnostics_arrived (dlint-e2e-wait (lambda () (dlint-e2e-codes))))
          (dlint-e2e-put 'codes (vconcat (dlint-e2e-codes)))
          (dlint-e2e-put 'messages
                         (vconcat (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
          ;; Hover over the FROM keyword and over the untagged image (DL3006).
          (goto-char (point-min))
          (forward-char 1)
          (let ((hover (jsonrpc-request server :textDocument/hover
                                        (eglot--TextDocumentPositionParams))))
            (dlint-e2e-put 'keyword_hover (or (plist-get (plist-get hover :contents) :value) "")))
          (goto-char (point-min))
          (search-forward "ubuntu")
          (let ((hover (jsonrpc-request server :textDocument/hover
                                        (eglot--TextDocumentPositionParams))))
            (dlint-e2e-put 'rule_hover (or (plist-get (plist-get hover :contents) :value) "")))
          ;; The preferred quick fix for the pip finding, picked as eglot's menu default.
          (goto-char (point-min))
          (search-forward "pip install")
          (let ((last-nonmenu-event 13)
                (beg (line-beginning-position)) (end (line-end-position)))
            (cl-letf (((symbol-function 'completing-read)
                       (lambda (_prompt _collection &rest args) (nth 4 args))))
              (eglot-code-actions beg end "quickfix" t)))
          (dlint-e2e-put 'after_quick_fix (buffer-string))
          (dlint-e2e-put 'quick_fix_followed
                         (dlint-e2e-wait (lambda () (not (member "DL3042" (dlint-e2e-codes))))))
          ;; Fix all, as `M-x eglot-code-actions` with kind `source.fixAll` (eglot keeps only
          ;; actions of exactly that kind).
          (eglot-code-actions (point-min) (point-max) "source.fixAll" t)
          (dlint-e2e-put 'after_fix_all (buffer-string))
          (dlint-e2e-put 'fix_all_followed
                         (dlint-e2e-wait (lambda () (not (member "DL3009" (dlint-e2e-codes))))))
          (save-buffer)
          ;; A dlint.toml written on disk, nothing typed: the diagnostics follow.
          (with-temp-file (expand-file-name "dlint.toml" root)
            (insert "[lint]\nignore = [\"DL3008\"]\n"))
          (dlint-e2e-put 'config_change_applied
                         (dlint-e2e-wait (lambda () (let ((codes (dlint-e2e-codes)))
                                                      (and (member "DL3006" codes)
                                                           (not (member "DL3008" codes)))))))
          (dlint-e2e-put 'codes_after_config_change (vconcat (dlint-e2e-codes)))
          ;; Shutdown and exit, as `eglot-shutdown` sends them; the server must then end by
          ;; itself with status 0 (Emacs 28's jsonrpc kills it at once, so it is not used).
          (let ((process (jsonrpc--process server)))
            (jsonrpc-request server :shutdown nil :timeout 10)
            (jsonrpc-notify server :exit nil)
            (dlint-e2e-wait (lambda () (not (process-live-p process))))
            (dlint-e2e-put 'server_exit (process-exit-status process)))))
    (error (dlint-e2e-put 'error (format "%S" err))))
  (with-temp-file out
    (insert (json-encode dlint-e2e-result)))
  (kill-emacs 0))

;;; eglot_lsp.el ends here
