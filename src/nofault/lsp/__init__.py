"""The language server: nofault's findings in the editor, over LSP on stdio (`nofault lsp`)."""
