;;; eglot_probe.el --- Drive Emacs + eglot in batch mode as a real LSP client of fastapi-patterns  -*- lexical-binding: t -*-
;; Opens FP_FILE, waits for flymake diagnostics from the server, runs the preferred quick fix for FP_CODE,
;; and writes what it saw to FP_OUT as JSON.  Exits 0 on success, 1 on failure (never hangs).
(package-initialize)
(require 'eglot)
(require 'json)

(defvar fp-out (getenv "FP_OUT"))
(defvar fp-result (list (cons 'error nil)))

(defun fp-finish (code)
  (with-temp-file fp-out (insert (json-encode fp-result)))
  (kill-emacs code))

(run-at-time 60 nil (lambda () (push (cons 'error "timed out") fp-result) (fp-finish 1)))

(condition-case err
    (progn
      (setq eglot-server-programs
            (list (cons 'python-mode (list (getenv "FP_PYTHON") "-m" "fastapi_patterns"))))
      (setq eglot-sync-connect 10 eglot-autoshutdown t eglot-events-buffer-size 0)
      (find-file (getenv "FP_FILE"))
      (python-mode)
      (apply #'eglot (eglot--guess-contact))
      (let ((deadline (+ (float-time) 40)) (found nil))
        (while (and (not found) (< (float-time) deadline))
          (accept-process-output nil 0.2)
          (setq found (seq-filter (lambda (d) (string-match-p (getenv "FP_CODE")
                                                               (format "%s" (flymake-diagnostic-text d))))
                                  (flymake-diagnostics))))
        (unless found (error "no diagnostic %s received" (getenv "FP_CODE")))
        (let* ((diag (car found))
               (beg (flymake-diagnostic-beg diag)))
          (push (cons 'line (line-number-at-pos beg)) fp-result)
          (push (cons 'column (- beg (save-excursion (goto-char beg) (line-beginning-position)))) fp-result)
          (push (cons 'text (flymake-diagnostic-text diag)) fp-result)
          (goto-char beg)
          (let* ((server (eglot-current-server))
                 (actions (jsonrpc-request server :textDocument/codeAction
                                           (list :textDocument (eglot--TextDocumentIdentifier)
                                                 :range (list :start (eglot--pos-to-lsp-position beg)
                                                              :end (eglot--pos-to-lsp-position (flymake-diagnostic-end diag)))
                                                 :context (list :diagnostics [] :only ["quickfix"]))))
                 (preferred (seq-find (lambda (a) (eq (plist-get a :isPreferred) t)) actions)))
            (push (cons 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions))) fp-result)
            (unless preferred (error "no preferred quick fix"))
            (eglot--apply-workspace-edit (plist-get preferred :edit))
            (push (cons 'text_after (buffer-substring-no-properties (point-min) (point-max))) fp-result)
            (setq fp-result (assq-delete-all 'error fp-result))
            (fp-finish 0)))))
  (error (push (cons 'error (format "%S" err)) fp-result) (fp-finish 1)))
