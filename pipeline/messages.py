"""The message catalogue (spaCy's errors.py is the model): every message a planner sees has a code
and its text in Japanese (the default: planners read these) and in English (`--lang en`,
PLANDRAFT_LANG=en, or an English/C locale). Callers say `text(code, **params)` or raise
`input_error(code, **params)`; the web page and the CLI use the same table."""
from __future__ import annotations

import os
from typing import Any

from .errors import InputError

LANGUAGES = ("ja", "en")
ENV = "PLANDRAFT_LANG"

# code → (Japanese, English). An error's reason is `code`, what to do about it `code.hint`.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- plandraft sheet ---------------------------------------------------------------------------
    "help.sheet": ("採択した計画の進行管理シートを作る", "make the progress sheet of a plan as adopted"),
    "help.sheet.description": (
        "採択した計画 (plandraft の案に手を入れて仕上げたもの、または他の形の計画) から、担当課が"
        "その年度に記入する進行管理シートを作ります。run と draft が書くシートは手を入れる前の案の"
        "ものです。事業を足し・削り・番号を付け直したときは、採択した計画からシートを作り直して"
        "ください。記入済みのシートがあれば .bak に残してから置き換えます。",
        "Make the progress sheet the departments fill in during a plan's year from the plan as adopted "
        "(plandraft's draft as the planner finished it, or any plan). The sheet run and draft write is "
        "that of the draft before it was edited: after measures were added, dropped or renumbered, make "
        "the sheet again from the adopted plan. A sheet already there is kept as a .bak first."),
    "help.sheet.plan": ("採択した計画のファイル (.docx .pdf .xlsx .txt など)", "the adopted plan (.docx .pdf .xlsx .txt …)"),
    "help.sheet.year": ("計画の年度 (文書から読めないとき。例: 令和8年度 または 2026)",
                        "the plan's fiscal year, where the document does not say (e.g. 令和8年度 or 2026)"),
    "sheet.no_year": ("計画の年度が読めません", "the plan's fiscal year cannot be read"),
    "sheet.no_year.hint": ("--year で年度を指定してください (例: --year 令和8年度)", "give it with --year (e.g. --year 令和8年度)"),
    "sheet.no_measures": ("計画の事業が読み取れません", "no measure of the plan could be read"),
    "sheet.no_measures.hint": ("採択した計画のファイルか確かめてください", "check that this is the adopted plan"),
    "sheet.made": ("{year}の進行管理シート: {count} 件の事業 ({path} から)", "{year} progress sheet: {count} measures (from {path})"),
    "sheet.not_plan_hint": (" (採択した計画のファイルを指定してください)", " (give the adopted plan)"),
    "sheet.undecided": ("採否未定の新規候補 {count} 件はシートに載せていません (採用するなら区分を新規にしてください)",
                        "{count} 新規候補 still undecided are not on the sheet (to adopt one, make its 区分 新規)"),
    "sheet.other_year": ("{path}: 文書には {said} とありますが、{year} のシートとして作ります",
                         "{path}: the document says {said}; the sheet is made for {year} as asked"),
    "sheet.backup": ("前のシートを残しました: {path}", "kept the sheet that was there as {path}"),
    "sheet.provenance": ("plandraft sheet（{path} から）", "plandraft sheet (from {path})"),
    # -- last year's results (進行管理シート) ---------------------------------------------------------
    "results.repeated_row": ("{file} 行{row}「{item}」: 同じ事業の行がほかにもあります（この行は使っていません。1 行にまとめてください）",
                             "{file} row {row} '{item}': another row is for the same measure (this row was not used: "
                             "keep one row per measure)"),
    "results.unlinked_row": ("{file} 行{row}「{item}」: 前年度の計画の事業と結び付けられません（番号か項目名を前年度の計画に合わせてください）",
                             "{file} row {row} '{item}': links to no measure of last year's plan (make its number "
                             "or name the plan's)"),
    "results.conflict": ("「{item}」: {file} 行{row} と {other_file} 行{other_row} で記入が違います（{file} の記入を使いました。"
                         "どちらが正しいか担当課に確かめてください）",
                         "'{item}': {file} row {row} and {other_file} row {other_row} differ ({file} was used: "
                         "ask the department which is right)"),
    "results.not_excel": ("Excelファイルとして開けません（{kind}）", "cannot be opened as an Excel file ({kind})"),
    "results.not_excel.hint": ("Excelで開いて .xlsx で保存し直してください", "open it in Excel and save it again as .xlsx"),
    "results.other_year": ("{file}: {made}の計画の進行管理シートです（前年度の計画は{plan}）。前年度のシートか確かめてください",
                           "{file}: the progress sheet of the {made} plan (last year's plan is {plan}): check it is "
                           "last year's sheet"),
    # -- files and folders -------------------------------------------------------------------
    "file.missing": ("ファイルが見つかりません", "no such file"),
    "file.missing.hint": ("パスを確かめてください", "check the path"),
    "file.unreadable": ("ファイルを読めません: {reason}", "cannot read file: {reason}"),
    "file.unreadable.hint": ("パスと権限を確かめてください", "check the path and permissions"),
    "folder.unreadable": ("フォルダを読めません: {reason}", "cannot read folder: {reason}"),
    "folder.unreadable.hint": ("フォルダの権限を確かめるか、読めるフォルダにファイルを移してください",
                               "check the folder's permissions, or move the files to a folder you can read"),
    "file.empty": ("空のファイルです (0 バイト)", "empty file (0 bytes)"),
    "file.unsupported": ("読めないファイル形式です ('{suffix}')", "unsupported file type '{suffix}'"),
    "file.unsupported.hint": (".pdf、.docx、.xlsx、.doc、.xls、.rtf、.odt、.ods、.csv、.txt、.md のどれかで保存してください",
                              "give a .pdf, .docx, .xlsx, .doc, .xls, .rtf, .odt, .ods, .csv, .txt or .md file"),
    "file.too_large": ("大きすぎてメモリに読み込めないファイルです", "file too large to read in memory"),
    "file.too_large.hint": ("小さなファイルに分けてください", "split it into smaller files"),
    "folder.no_documents": ("このフォルダには読む文書がありません{others}", "no document to read in this folder{others}"),
    "folder.only_others": (" (文書でないファイルが {count} 個だけです)", " (only {count} files that are not documents)"),
    "folder.no_documents.hint": ("計画 (.pdf、.docx、.xlsx、.doc、.xls など) を入れるか、ファイルを指定してください",
                                 "put the plans (.pdf, .docx, .xlsx, .doc, .xls …) in it, or name the files"),
    "file.empty.hint": ("正しいファイルか確かめてください", "check that the right file was given"),
    "input.not_found": ("{what}が見つかりません: {path}", "{what} not found: {path}"),
    "what.input": ("入力ファイル", "input"),
    "what.file": ("ファイル", "file"),
    "what.template": ("テンプレート", "template"),
    "what.corrections": ("修正ファイル", "corrections file"),
    "what.outline": ("構成案", "outline"),
    # -- batches -------------------------------------------------------------------------------
    "batch.skipped": ("{total} 件中 {count} 件を読めませんでした: {names}", "skipped {count} of {total} files: {names}"),
    # -- the job -------------------------------------------------------------------------------
    "job.plan_unreadable": ("前年度の計画を読めなかったため、作成も比較もしていません",
                            "last year's plan could not be read, so nothing was drafted or compared"),
    "job.plan_unreadable.hint": ("上の行の理由を見て、ファイルを直すか差し替えてください",
                                 "see the line above for why; fix or replace that file"),
    "job.nothing_drafted": ("{path}: 作成していません (前年度の計画を読めませんでした)",
                            "{path}: nothing drafted (last year's plan could not be read)"),
    "job.nothing_written": ("{path}: 何も書き出していません (計画を読めませんでした)",
                            "{path}: nothing written (the plan could not be read)"),
    "job.nothing_compared": ("{path}: 比較していません (当市の計画を読めませんでした)",
                             "{path}: nothing compared (our plan could not be read)"),
    "job.no_year": ("{path}: 計画に年度が見つかりません (--year で指定してください。例: --year 平成22年度)",
                    "{path}: no fiscal year found in the plan (give --year, e.g. --year 平成22年度)"),
    "job.exists": ("{path}: すでにあります (置き換えるには --force を付けてください。元のファイルは .bak に残します)",
                   "{path}: already exists (add --force to replace it; the old file is kept as a .bak)"),
    "job.year_not_after": ("plandraft draft: --year {year} は計画の年度 ({plan_year}) より後ではありません。このまま作成します",
                           "plandraft draft: --year {year} is not after the plan's year ({plan_year}); drafting it anyway"),
    "job.long_text": ("{where}: {fields} が {limit} 文字を超えるため、先頭で照合しました (複数の取組が入ったセルなら分けてください)",
                      "{where}: {fields} longer than {limit} characters, matched on its beginning "
                      "(split the cell if it holds several measures)"),
    "job.unknown_pillar": ("{origin}: 柱 '{pillar}' はこの構成案にありません ({item} の修正は使いません)",
                           "{origin}: pillar '{pillar}' is not in this outline (correction of {item} ignored)"),
    "job.kept_backup": ("{path}: 手を加えた前の版をここに残して書き直しました", "{path}: the earlier, edited version is kept here"),
    "job.other_city_plan": ("{path}: {city}の計画です (当市は{ours})。他市の計画として比較に使います"
                            " (plandraft.toml の others に書くと、この注意は出ません)",
                            "{path}: a plan of {city} (ours is {ours}'s): compared as another city's plan"
                            " (list it under others in plandraft.toml to silence this)"),
    "job.copies_differ": ("{path}: {base} と項目が違います ({count} 件と {base_count} 件)。両方を確かめてください",
                          "{path}: items differ from {base} ({count} vs {base_count} items); check both"),
    # -- settings (plandraft.toml) ---------------------------------------------------------------
    "config.no_folder": ("入力フォルダが見つかりません: {folder}", "input folder not found: {folder}"),
    "config.bad_toml": ("{path}: TOML として読めません ({reason})", "{path}: not valid TOML ({reason})"),
    "config.unknown_key": ("{path}: 不明なキー '{key}' を無視しました", "{path}: unknown key '{key}' ignored"),
    "config.did_you_mean": (" ('{near}' のことですか?)", " (did you mean '{near}'?)"),
    "config.not_a_name": ("{path}: '{key}' はファイル名で指定してください", "{path}: '{key}' must be a file name"),
    "config.outside": ("{path}: {key} '{value}' は {folder} の外です (ファイルをそのフォルダに置いてください)",
                       "{path}: {key} '{value}' is outside {folder} (put the file in that folder)"),
    "config.not_found": ("{path}: {key} のファイルが見つかりません: {file}", "{path}: {key} file not found: {file}"),
    "config.no_outline": ("{folder} に構成案がありません: {name} に outline = \"…\" と書いてください",
                          "no outline in {folder}: name it in {name} (outline = \"…\")"),
    "config.others_list": ("{path}: 'others' はファイルかフォルダのリストで指定してください",
                           "{path}: 'others' must be a list of files or folders"),
    "config.no_plan": ("{folder} に計画がありません: {name} に前年度の計画を plan = \"…\" と書いてください",
                       "no plan in {folder}: name last year's plan in {name} (plan = \"…\")"),
    "config.city": ("{path}: 'city' は市町村名で指定してください (例: city = \"対馬市\")",
                    "{path}: 'city' must be the municipality's name, e.g. city = \"対馬市\""),
    "config.reference": ("{path}: reference は {modes} のどれかで指定してください", "{path}: reference must be one of {modes}"),
    "config.unknown_setting": ("{where}: 不明な設定 '{key}'", "{where}: unknown setting '{key}'"),
    "config.not_a_table": ("{where}: 設定の表 ([…]) で指定してください", "{where}: must be a table of settings"),
    "config.bad_value": ("{where}: {reason}", "{where}: {reason}"),
    # -- the CLI ---------------------------------------------------------------------------------
    "cli.interrupted": ("plandraft: 中断しました", "plandraft: interrupted"),
    "cli.threshold": ("--threshold は 0 より大きく 1 以下で指定してください", "--threshold must be between 0 and 1"),
    "cli.compare_exists": ("{path} があります (置き換えるには --force。元のファイルは .bak に残します)",
                           "{path} exists (use --force to replace it; a backup is kept)"),
    "cli.bad_year": ("--year: {reason}", "--year: {reason}"),
    "cli.locked": ("書き込めません: ほかのプログラムで開いているか、フォルダが読み取り専用です",
                   "cannot write: the file is open in another program or the folder is read-only"),
    "cli.internal": ("plandraft {command}: 内部エラーです ({kind})。{where} (不具合として報告してください)",
                     "plandraft {command}: internal error ({kind}); {where} (please report it)"),
    "cli.log_at": ("詳しくは {path} にあります", "details in {path}"),
    "cli.no_log": ("ログを書けるフォルダがありませんでした", "no log folder was writable"),
    # -- reading files (ingest) ------------------------------------------------------------------
    "file.missing_or_folder": ("ファイルもフォルダも見つかりません", "no such file or folder"),
    "file.missing_or_folder.hint": ("パスを確かめてください", "check the path"),
    "text.bad_utf16": ("UTF-16 のテキストが壊れています (長さが奇数か、不正なサロゲート)",
                       "broken UTF-16 text (odd length or bad surrogate)"),
    "text.bad_utf16.hint": ("UTF-8 で保存し直してから、もう一度実行してください", "save it as UTF-8 and retry"),
    "text.unknown_encoding": ("文字コードが分かりません (UTF-8 でも Shift_JIS/CP932 でもありません)",
                              "unknown text encoding (not UTF-8 or Shift_JIS/CP932)"),
    "text.unknown_encoding.hint": ("UTF-8 で保存し直してから、もう一度実行してください", "save it as UTF-8 and retry"),
    "text.bad_utf8": ("UTF-8 (BOM 付き) のテキストに、UTF-8 として読めない文字があります",
                      "UTF-8 text (with a BOM) with bytes that are not UTF-8"),
    "text.bad_utf8.hint": ("その行を直して UTF-8 で保存し直してください (書き戻すと、その文字が失われます)",
                           "fix that line and save it as UTF-8 again (writing it back would lose those bytes)"),
    "text.bad_utf32": ("UTF-32 として読めません (BOM はありますが、途中が壊れています)",
                       "not valid UTF-32 (it starts with a UTF-32 BOM but is damaged)"),
    "text.bad_utf32.hint": ("UTF-8 で保存し直してください", "save it again as UTF-8"),
    "text.empty": ("空のファイルです (文字がありません)", "empty file (no text)"),
    "text.empty.hint": ("正しいファイルか確かめてください", "check that the right file was given"),
    "xlsx.missing_part": ("壊れた .xlsx です (部品 {part} がありません)", "corrupt .xlsx (missing part {part})"),
    "xlsx.missing_part.hint": ("Excel で開き、保存し直してください", "open and re-save it in Excel"),
    "xlsx.corrupt": ("壊れているか、読めない形式の .xlsx です", "corrupt or unsupported .xlsx"),
    "xlsx.corrupt.hint": ("Excel で開き、Excel ブック (.xlsx) 形式で保存し直してください", "open and re-save it in Excel as .xlsx"),
    "xlsx.notes_sheets": ("記入要領・一覧表のシートとして読みませんでした: {sheets}",
                          "not read as measures (instructions or lookup lists): sheets {sheets}"),
    "xlsx.uncached": ("数式 {count} 個の結果がファイルに保存されていないため空欄として読みました。Excel で開いて保存し直してから読み込んでください",
                      "{count} formulas have no saved result and were read as blank; open and save the workbook in Excel, then read it again"),
    "xlsx.filtered": ("シート「{sheet}」のフィルターで隠れている {count} 行は読んでいません。フィルターを解除して保存し直すと読めます",
                      "{count} rows hidden by the filter on sheet '{sheet}' were not read; clear the filter and save the workbook to read them"),
    "office.encrypted": ("正しい .{kind} ではありません (パスワード付きか、2007 年より前の Office 形式です)",
                         "not a valid .{kind} (an encrypted or pre-2007 Office file)"),
    "office.encrypted.hint": ("パスワードを外すか、.{kind} 形式で保存し直してから、もう一度実行してください",
                              "remove the password / save it as .{kind} and retry"),
    "office.not_zip": ("正しい .{kind} ではありません (zip 形式ではありません)", "not a valid .{kind} (not a zip file)"),
    "office.not_zip.hint": ("開いて .{kind} 形式で保存してください", "open it and save it as .{kind}"),
    "office.zip_format": ("正しい .{kind} ではありません (読めない zip 形式: {reason})",
                          "not a valid .{kind} (unsupported zip format: {reason})"),
    "office.zip_format.hint": ("開いて .{kind} 形式で保存してください", "open it and save it as .{kind}"),
    "office.zip_bomb": ("読むのをやめました: 展開すると {size} MB になります (zip 爆弾の疑い)",
                        "refused: archive would inflate to {size} MB (zip bomb?)"),
    "office.zip_bomb.hint": ("ファイルの入手元を確かめてください", "check where the file came from"),
    "office.no_main": ("壊れた .{kind} です (中に {part} がありません)", "corrupt .{kind} (no {part} in the archive)"),
    "office.no_main.hint": ("開いて .{kind} 形式で保存し直してください", "open and re-save it as .{kind}"),
    "office.doctype": ("読むのをやめました: {part} に DOCTYPE 宣言があります (外部エンティティは使えません)",
                       "refused: {part} declares a DOCTYPE (external entities are not allowed)"),
    "office.doctype.hint": ("Office で .{kind} 形式で保存し直してください", "re-save the file in Office as .{kind}"),
    "docx.missing_part": ("壊れた .docx です (部品 {part} がありません)", "corrupt .docx (missing part {part})"),
    "docx.missing_part.hint": ("Word で開き、保存し直してください", "open and re-save it in Word"),
    "docx.not_word": ("Word 文書 (.docx) ではありません", "not a Word document (.docx)"),
    "docx.not_word.hint": ("Word 文書 (.docx) 形式で保存してください", "save it as a Word document (.docx)"),
    "docx.broken_xml": ("壊れた .docx です (XML が壊れています)", "corrupt .docx (broken XML)"),
    "docx.broken_xml.hint": ("Word で開き、保存し直してください", "open and re-save it in Word"),
    "docx.corrupt": ("壊れた .docx です", "corrupt .docx"),
    "docx.corrupt.hint": ("Word で開き、保存し直してください", "open and re-save it in Word"),
    # -- reading in worker processes, within limits ----------------------------------------------
    "read.failed": ("読み取れませんでした ({kind}: {reason})", "could not parse ({kind}: {reason})"),
    "read.failed.hint": ("Word や Acrobat で開けるか確かめてください。開けるなら不具合として報告してください",
                         "check the file opens in Word/Acrobat; report it"),
    "read.crashed": ("読み取りの処理が異常終了しました ({how})", "the reader crashed ({how})"),
    "read.crashed.hint": ("Word や Acrobat で開けるか確かめてください。開けるなら不具合として報告してください",
                          "check the file opens in Word/Acrobat; report it"),
    "read.signal": ("シグナル {number}", "signal {number}"),
    "read.exit_code": ("終了コード {number}", "exit code {number}"),
    "limits.timeout": ("{seconds} 秒たっても読み終わりませんでした", "took longer than {seconds} s"),
    "limits.timeout.hint": ("ファイルが壊れているか、とても複雑な可能性があります。分割するか --timeout を大きくしてください",
                            "the file may be damaged or unusually complex; split it or raise --timeout"),
    "limits.memory": ("ファイルが大きすぎます (読むのに {mb} MB を超えるメモリが要ります)",
                      "file too large (reading it needs more than {mb} MB)"),
    "limits.memory.hint": ("小さなファイルに分けるか、--memory-limit を大きくしてください",
                           "split it into smaller files or raise --memory-limit"),
    "limits.bad_seconds": ("時間の上限は 0 より大きく {most} 秒以下で指定してください: {seconds}",
                           "time limit must be more than 0 and at most {most} seconds: {seconds}"),
    "settings.bad_page_processes": ("page_processes (ページを並行して読むプロセスの数) は 1 以上で指定してください: {value}",
                                    "page_processes (processes reading a PDF's pages in parallel) must be at least 1: {value}"),
    "limits.bad_memory": ("メモリの上限は 256 MB 以上で指定してください: {mb}", "memory limit must be at least 256 MB: {mb}"),
    "settings.not_bool": ("{name} は true か false で指定してください: {value}", "{name} must be true or false, got {value}"),
    "settings.not_number": ("{name} は数値で指定してください: {value}", "{name} must be a number, got {value}"),
    "settings.not_whole_number": ("{name} は整数で指定してください: {value}", "{name} must be a whole number, got {value}"),
    "settings.negative": ("{name} は 0 以上で指定してください: {value}", "{name} must not be negative, got {value}"),
    "settings.not_unit": ("{name} は 0 から 1 までの値で指定してください: {value}", "{name} must be between 0 and 1, got {value}"),
    "settings.not_open_unit": ("{name} は 0 より大きく 1 以下の値で指定してください: {value}", "{name} must be in (0, 1], got {value}"),
    "settings.not_positive": ("{name} は 0 より大きい値で指定してください: {value}", "{name} must be positive, got {value}"),
    "settings.not_one_of": ("{name} は {choices} のいずれかで指定してください: {value}", "{name} must be one of {choices}, got {value}"),
    "settings.candidates": ("few_items と max_candidates は 0 以上、max_candidates_thin は max_candidates 以上で指定してください",
                            "few_items, max_candidates >= 0 and max_candidates_thin >= max_candidates"),
    # -- the outline ---------------------------------------------------------------------------
    "outline.no_pillars": ("構成案に施策の柱が見つかりません", "no policy pillars found in the outline"),
    "outline.no_pillars.hint": ("見出しの下に「(1) 柱の名前」の形で番号を付けるか、柱の名前と説明を組にして書いてください",
                                "number them '(1) title' under a section heading, or give title/description pairs"),
    "outline.summary": ("{title} — 施策の柱 {count} 本", "{title} — {count} pillars"),
    # -- outputs -------------------------------------------------------------------------------
    "output.locked": ("ファイルを置き換えられません: ほかのプログラムで開いているか、読み取り専用です",
                      "cannot replace the file: it is open in another program or read-only"),
    "output.locked.hint": ("閉じてから再実行してください", "close it (in Word or Excel) and run again"),
    "output.cannot_write": ("書き込めません ({reason})", "cannot write ({reason})"),
    "output.cannot_write.hint": ("フォルダとディスクの空きを確かめてください", "check the folder and the disk"),
    "output.wrote": ("書き出しました: {path}", "wrote {path}"),
    "output.disk_full": ("ディスクがいっぱいで書き込めません", "cannot write: the disk is full"),
    "output.disk_full.hint": ("空きを作ってから、もう一度実行してください", "free some space and run again"),
    "output.read_only": ("書き込めません: フォルダが読み取り専用か、書き込む権限がありません",
                         "cannot write: the folder is read-only or not yours to write"),
    "output.read_only.hint": ("書き込めるフォルダを -o で指定してください", "give a folder you can write to with -o"),
    "output.not_a_folder": ("フォルダではなくファイルです", "is a file, not a folder"),
    "output.not_a_folder.hint": ("-o に別の場所を指定してください。このファイルはそのままです",
                                 "give another place with -o; this file is left as it is"),
    "output.is_a_folder": ("ファイルではなくフォルダです", "is a folder, not a file"),
    "output.is_a_folder.hint": ("-o にはファイル名を指定してください", "give a file name with -o"),
    # -- the ingest command --------------------------------------------------------------------
    "ingest.not_plan": ("計画ではありません: {path}: {why}", "not a plan: {path}: {why}"),
    "ingest.no_measures": ("施策が見つかりません", "no measures found"),
    "plan_like.no_header": ("施策が見つかりません: 施策の列 (事業名、取組、内容 など) を名指す表の見出しがなく、見出しの下に番号や記号の付いた行もありません",
                            "no measures found: no table header names a measure column (事業名, 取組, 内容 …) "
                            "and no numbered or bulleted lines stand under a heading"),
    "plan_like.no_measures": ("施策が見つかりません: 施策の列 (事業名、取組、内容 など) のある表も、見出しの下に番号や記号の付いた行もありません",
                              "no measures found: no table with a measure column (事業名, 取組, 内容 …) and no "
                              "numbered or bulleted lines under a heading"),
    "plan_like.numbers": ("表のセルの {share} が数値", "{share} of its table cells are numbers"),
    "plan_like.few_per_page": ("{pages} ページに項目が {items} 件だけ", "{pages} pages with only {items} items"),
    "plan_like.few_items": ("{rows} 行のうち項目は {items} 件だけ", "only {items} items among {rows} rows and lines"),
    "plan_like.title": ("表題が「{word}」のよう", "its title reads like {word}"),
    "plan_like.and": ("、", "; "),
    "plan_like.not_plan": ("施策の計画ではないようです ({reasons})", "does not look like a plan of measures ({reasons})"),
    "ingest.not_plan_line": ("(施策の計画ではありません: 行を施策としては読みません)",
                             "(not a plan of measures: its rows are not read as measures)"),
    "ingest.output_exists": ("{path}: すでにあり、plandraft ingest の書き出した JSON ではありません (置き換えるには --force。元のファイルは .bak に残します)",
                             "{path}: exists and is not JSON plandraft ingest wrote (add --force to replace it; the old file is kept as a .bak)"),
    "ingest.output_is_input": ("{path}: 読み込むファイルそのものです (JSON で上書きすると元の文書が失われます)。別の書き出し先を -o で指定してください",
                               "{path}: is one of the files being read (the JSON would replace it); give another file with -o"),
    "ingest.summary": ("{city} · {year} · {count} 件", "{city} · {year} · {count} items"),
    # -- the library ---------------------------------------------------------------------------
    "library.disk_full": ("ディスクがいっぱいです", "the disk is full"),
    "library.disk_full.hint": ("空きを作ってから、もう一度実行してください", "free some space and run again"),
    "library.read_only": ("ライブラリが読み取り専用です", "the library is read-only"),
    "library.read_only.hint": ("書き込めるフォルダにある --library ファイルを指定してください",
                               "give a --library file in a folder you can write to"),
    "library.io_error": ("ライブラリに書き込めませんでした", "the library could not be written"),
    "library.io_error.hint": ("ディスクを確かめてから、もう一度実行してください", "check the disk and run again"),
    "library.cannot_open": ("ライブラリを書き込み用に開けませんでした", "the library could not be opened for writing"),
    "library.cannot_open.hint": ("フォルダを確かめてから、もう一度実行してください", "check the folder and run again"),
    "library.not_a_library": ("plandraft のライブラリではありません ({why})", "not a plandraft library ({why})"),
    "library.not_a_library.hint": ("別の --library ファイルを指定してください", "give another --library file"),
    "library.other_app": ("ほかのアプリケーションの SQLite ファイルです。変更していません",
                          "an SQLite file of another application; it was left unchanged"),
    "library.newer": ("新しい版の plandraft で作られたライブラリです (スキーマ {version})",
                      "library made by a newer plandraft (schema {version})"),
    "library.newer.hint": ("plandraft を更新してください", "update plandraft"),
    "library.add_nothing": ("追加する計画のファイルかフォルダ、または --outline OUTLINE を指定してください",
                            "give plan files or folders to add, or --outline OUTLINE"),
    "library.outline_gone": ("{path}: ライブラリの構成案が見つからないため、施策を柱なしで追加します (--outline OUTLINE で指定してください)",
                             "{path}: the library's outline is gone; measures are added without pillars "
                             "(give --outline OUTLINE)"),
    "library.added": ("追加しました {path}: {what}、{count} 件", "added {path}: {what}, {count} items"),
    "library.total": ("{path}: 施策 {count} 件", "{path}: {count} measures"),
    "library.summary": ("{path}: 施策 {items} 件、文書 {documents} 件、市町村 {cities} 件",
                        "{path}: {items} measures, {documents} documents, {cities} cities"),
    "library.city": ("{city}: {items} 件 (文書 {documents} 件)", "{city}: {items} items in {documents} documents"),
    "library.city.one": ("{city}: {items} 件 (文書 {documents} 件)", "{city}: {items} items in {documents} document"),
    "library.documents": ("文書:", "documents:"),
    "library.document": ("{path} — {where}{year}、{items} 件 ({kind})", "{path} — {where}{year}, {items} items ({kind})"),
    "library.remove_nothing": ("削除する文書、または --city CITY を指定してください", "give documents to remove, or --city CITY"),
    "library.not_in": ("{path}: ライブラリにありません (plandraft library list で中身を確かめられます)",
                       "{path}: not in the library (plandraft library list shows what is)"),
    "library.no_city": ("{city}: この市町村の施策はライブラリにありません", "{city}: no measures of this city in the library"),
    "library.removed": ("削除しました {what}: {count} 件", "removed {what}: {count} items"),
    "library.imported": ("読み込みました {path}: {added} 件を追加、{merged} 件は登録済み",
                         "imported {path}: {added} measures added, {merged} already in the library"),
    "library.rows_skipped": ("、{count} 行は読み飛ばしました", ", {count} rows skipped"),
    "library.export_type": ("{path}: 書き出し先は .csv か .json のファイルにしてください",
                            "{path}: give a .csv or .json file to export to"),
    "library.export_exists": ("{path} はすでにあります (置き換えるには --force を付けてください)",
                              "{path} exists (give --force to replace it)"),
    "library.exported": ("書き出しました {path}: 施策 {count} 件", "wrote {path}: {count} measures"),
    # -- exchange files (library import) ----------------------------------------------------------
    "exchange.bad_type": ("読めないファイル形式です ('{suffix}')", "unsupported file type '{suffix}'"),
    "exchange.bad_type.hint": ("CSV (.csv) か JSON (.json) のファイルを指定してください", "give a .csv or .json file"),
    "exchange.unreadable": ("ファイルを読めません ({reason})", "cannot read the file ({reason})"),
    "exchange.unreadable.hint": ("UTF-8 で保存してください", "save it as UTF-8"),
    "exchange.not_json": ("JSON として読めません ({reason})", "not JSON ({reason})"),
    "exchange.not_json.hint": ("施策のリストか {shape} の形にしてください", "give a list of measures or {shape}"),
    "exchange.no_list": ("施策のリストがありません", "no list of measures"),
    "exchange.no_list.hint": ("施策のリストか {shape} の形にしてください", "give a list of measures or {shape}"),
    "exchange.entry": ("{number} 件目", "entry {number}"),
    "exchange.line": ("{number} 行目", "line {number}"),
    "exchange.no_city": ("市町村名がありません", "no city"),
    "exchange.no_city.hint": ("どの施策にも市町村名を書いてください", "every measure names its municipality"),
    "exchange.no_measure": ("施策名がありません", "no measure"),
    "exchange.no_measure.hint": ("どの行にも施策名を書いてください", "every row names the measure"),
    "exchange.no_source": ("{measure} の出典がありません", "no source for {measure}"),
    "exchange.no_source.hint": ("source_url か source_title に出典を書いてください",
                                "give the source_url or source_title it comes from"),
    "exchange.not_number": ("{column} の {value} が数値ではありません", "{column} {value} is not a number"),
    "exchange.not_number.hint": ("半角数字で書くか、空欄にしてください", "write it in digits or leave it empty"),
    # -- the reference measures (参考事例) ---------------------------------------------------------
    "reference.unreadable": ("参考事例のファイルを読めません ({reason})", "cannot read the reference file ({reason})"),
    "reference.unreadable.hint": ("ファイルを確かめてください", "check the file"),
    "reference.empty": ("参考事例のファイルが空です", "empty reference file"),
    "reference.empty.hint": ("1 行目に列名を書いてください: {columns}", "the first line names the columns: {columns}"),
    "reference.no_column": ("参考事例のファイルに列 {missing} がありません", "the reference file has no column {missing}"),
    "reference.no_column.hint": ("1 行目に列名を書いてください: {columns}", "the first line names the columns: {columns}"),
    "reference.line": ("{line} 行目: {reason}", "line {line}: {reason}"),
    "reference.repeated_id": ("id {id} が {line} 行目と重なっています", "id {id} repeats line {line}"),
    "reference.repeated_id.hint": ("行ごとに別の id を付けてください", "give each row its own id"),
    "reference.fields": ("項目が {cells} 個あります (見出しは {columns} 個)", "{cells} fields, the header has {columns}"),
    "reference.fields.hint": ("項目はタブ 1 つずつで区切ってください", "separate the fields by one tab each"),
    "reference.no_id": ("id がありません", "no id"),
    "reference.no_id.hint": ("どの参考事例にも id を付けてください", "every reference measure names an id"),
    "reference.no_city": ("city がありません", "no city"),
    "reference.no_city.hint": ("どの参考事例にも市町村名を書いてください", "every reference measure names its municipality"),
    "reference.no_measure": ("measure がありません", "no measure"),
    "reference.no_measure.hint": ("どの参考事例にも施策名を書いてください", "every reference measure names the measure's name"),
    "reference.no_source": ("{id} の出典がありません", "no source for {id}"),
    "reference.no_source.hint": ("source_url か source_title に出典を書いてください",
                                 "give the source_url or source_title it comes from"),
    "reference.bad_pillar": ("pillar の {value} は柱の番号ではありません", "pillar {value} is not a pillar number"),
    "reference.bad_pillar.hint": ("構成案の柱の番号を書いてください (0: 柱なし)", "give the outline's pillar (0: none)"),
    "reference.bad_year": ("source_year の {year} は年ではありません", "source_year {year} is not a year"),
    "reference.bad_year.hint": ("年度を西暦で書くか、空欄にしてください", "give the fiscal year in 西暦, or leave it empty"),
    "reference.not_number": ("{column} の {value} が数値ではありません", "{column} {value} is not a number"),
    "reference.not_number.hint": ("半角数字で書いてください", "write it in digits"),
    # -- templates (draft) -----------------------------------------------------------------------
    "template.does_not_render": ("テンプレートに差し込めません: {reason}", "template does not render: {reason}"),
    "template.check_spelling": ("タグの綴りを templates/draft.docx と見比べてください",
                                "check the tag's spelling against templates/draft.docx"),
    "template.run_lint": ("テンプレートの検査 (lint) をしてください: タグは一度に打ち、引用符はまっすぐな半角にします",
                          "run the template lint: tags must be typed in one go, with straight quotes"),
    "template.left_over": ("差し込まれずに残ったタグがあります: {tag}", "template tag left unrendered: {tag}"),
    "template.left_over.hint": ("テンプレートの検査 (lint) をしてください", "run the template lint"),
    "template.broken": ("テンプレートのタグが壊れています: {problem} ({context} の中)", "template tag broken: {problem} in {context}"),
    "template.broken.hint": ("Word でタグを一度に打ち直してください (引用符はまっすぐな ' か \"、波かっこは半角)",
                             "retype the tag in Word in one go, with straight quotes and half-width braces"),
    "year.not_fiscal": ("年度として読めません: {value} (例: 平成22年度、令和元年度、2010)",
                        "not a fiscal year: {value} (use e.g. 平成22年度 or 2010)"),
    "draft.no_year": ("{path}: {reason} (--year で指定してください。例: --year 平成22年度)",
                      "{path}: {reason} (give --year, e.g. --year 平成22年度)"),
    "lint.no_tags": ("差し込みタグ ({{ }} や {% %}) がひとつもありません", "no template tag ({{ }} or {% %}) anywhere"),
    "template.no_tags": ("テンプレートではありません: {problem}。これをテンプレートにすると、案はこの文書そのままになります",
                         "not a template: {problem}; the draft would be this document as it is"),
    "template.no_tags.hint": ("templates/draft.docx の写しを Word で直して --template に指定してください",
                              "edit a copy of templates/draft.docx in Word and give that to --template"),
    "template.unreadable": ("テンプレートとして読めません: {problem}", "cannot be read as a template: {problem}"),
    "template.unreadable.hint": ("Word で .docx として保存し直したテンプレートを --template に指定してください",
                                 "save the template as .docx in Word and give that to --template"),
    "lint.not_zip": ("中身が Word の .docx (zip) ではありません", "its content is not a Word .docx (zip)"),
    "lint.unreadable": ("読める .docx ではありません ({reason})", "not a readable .docx ({reason})"),
    "lint.fullwidth_delimiter": ("タグの区切りに全角の波かっこかパーセント記号があります (IME をオフにして打ってください)",
                                 "full-width brace or percent sign in a tag delimiter (type it with the IME off)"),
    "lint.unbalanced": ("タグの区切りが閉じていません (段落の中で {first} か {second} が対になっていません)",
                        "unbalanced tag delimiters ({first} or {second} not closed in the paragraph)"),
    "lint.smart_quotes": ("{tag} に曲がった引用符があります (docxtpl が直しますが、' か \" で打ち直してください)",
                          "smart quotes in {tag} (docxtpl straightens them; retype with ' or \")"),
    "lint.fullwidth_character": ("{tag} に全角の文字があります (IME をオフにして打ち直してください)",
                                 "full-width character in {tag} (retype with the IME off)"),
    "lint.split": ("{tag} が {runs} か所の書式に分かれています (選んで書式をクリアするか、一度に打ち直してください)",
                   "{tag} is split over {runs} runs (select it, clear its formatting or retype it in one go)"),
    "lint.xml_in_tag": ("整えた後もタグの中に XML が残っています", "XML inside a tag after clean-up"),
    "lint.jinja": ("タグの書き方の誤り (jinja2): {reason}", "jinja2: {reason}"),
    "lint.no_style": ("文字スタイル {style} がありません: 印を付けた文字が普通の見た目になります",
                      "character style {style} missing: marked text will look plain"),
    # -- search and serve ------------------------------------------------------------------------
    "search.limit": ("--limit は 1 以上で指定してください", "--limit must be 1 or more"),
    "search.no_terms": ("'{query}' には検索する語がありません (助詞や記号だけです)",
                        "nothing to search for in '{query}' (only particles or punctuation)"),
    "search.no_match": ("{terms} に合う施策はありません", "no measures match {terms}"),
    "search.truncated": ("{shown} 件まで表示（全 {total} 件）: -n {total} で全件を表示します",
                         "showing {shown} of {total}: -n {total} shows them all"),
    "search.reference_truncated": ("参考事例は {shown} 件まで表示（全 {total} 件）",
                                   "showing {shown} of {total} reference measures (参考事例)"),
    "serve.port": ("{host}:{port} で待ち受けられません ({reason})。すでにページを開いていませんか? (または --port {next} を使ってください)",
                   "cannot listen on {host}:{port} ({reason}); is the page already open? (or use --port {next})"),
    "serve.no_project": ("プロジェクトのフォルダが見つかりません: {path}", "project folder not found: {path}"),
    "serve.exposed": ("注意: {host} で待ち受けます。ネットワーク上のほかのコンピューターからこのページを開き、"
                      "プロジェクトのフォルダのファイルを読んだり変えたりできます。信頼できるネットワークでだけ使ってください。",
                      "warning: listening on {host}: other computers on the network can open this page "
                      "and read and change the files in the project folder. Use it only on a network you trust."),
    "serve.no_inputs": ("{path}: inputs/ フォルダがありません。構成案と計画はページから追加してください",
                        "{path}: no inputs/ folder; add the outline and plans on the page"),
    "serve.url": ("plandraft: ページは {url} です (プロジェクト {project})。Ctrl+C で止まります",
                  "plandraft: the page is at {url} (project {project}); stop with Ctrl+C"),
    "serve.other_computers": ("plandraft: ほかのコンピューターからは、このコンピューターのアドレスか名前 ({names}) で開けます。"
                              "別の名前で開くには --allow-host NAME が要ります",
                              "plandraft: other computers can open it by this computer's address or name ({names}); "
                              "another name needs --allow-host NAME"),
    "serve.no_names": ("なし", "none"),
    # -- the matching commands (classify, match, evaluate, train) ---------------------------------
    "library.none": ("{path} にライブラリがありません (先に計画を追加してください: plandraft library add PLAN...)",
                     "no library at {path} (add plans first: plandraft library add PLAN...)"),
    "match.rule_unused": ("{origin}: この構成案には '{target}' に合う柱がありません (ルール {when} は使いません)",
                          "{origin}: no pillar of this outline matches '{target}' (rule {when} unused)"),
    "match.document": ("{path} — {count} 件", "{path} — {count} items"),
    "cli.not_whole_number": ("整数ではありません: {value}", "not a whole number: {value}"),
    "cli.at_least_one": ("1 以上で指定してください: {value}", "must be at least 1: {value}"),
    "cli.not_number": ("数値ではありません: {value}", "not a number: {value}"),
    "cli.not_positive": ("正の数で指定してください: {value}", "must be a positive number: {value}"),
    "what.progress": ("進行管理シート", "progress sheet"),
    "evaluate.not_an_item": ("{gold}: '{item}' は {plan} の項目ではありません (文言だけで照合しました)",
                             "{gold}: '{item}' is not an item of {plan} (matched by its text alone)"),
    "train.needs_sklearn": ("plandraft train には scikit-learn が必要です (pip install scikit-learn)",
                            "plandraft train needs scikit-learn (pip install scikit-learn)"),
    "train.settings": ("  C {c:g}、単語ベクトル {vectors:g}、似た施策 {neighbours:g}、混合の重み {weight:g}、"
                       "確認の目安 {review:.2f} 未満 (モデルの確率の重み {review_model:g})、一般的な語 {generic} 語、分類済みの施策に多い語 {learned} 語",
                       "  C {c:g}, word vectors {vectors:g}, nearest measures {neighbours:g}, mix weight {weight:g}, "
                       "review below {review:.2f} (the model's probability at {review_model:g}), {generic} generic words, {learned} learned words"),
    "train.tune": ("  調整用の分割 ({n} 件): 1位の正解率 {top1:.3f}  許容の正解率 {acceptable:.3f}  2位以内 {top2:.3f}  "
                   "確認の印: 誤りの {recall:.2f}、正解の {rate:.2f}",
                   "  tune split (n {n}): top-1 {top1:.3f}  acceptable {acceptable:.3f}  top-2 {top2:.3f}  "
                   "flags: {recall:.2f} of misses, {rate:.2f} of correct ones"),
    "train.not_measures": ("  調整用の分割の施策ではない事業 ({n} 件): {share:.2f} をどの柱にも当たらないと判定",
                           "  tune split's projects that are no measure (n {n}): {share:.2f} reported as fitting no pillar"),
    "train.rows": ("{train} 行で学習し、{tune} 行で調整します (test の分割は使いません)",
                   "training on {train} rows, tuning on {tune} (test split left out)"),
    # -- the planner's TSV files (rules, corrections, labelled sets, gold) -------------------------
    "tsv.unreadable": ("ファイルを読めません: {reason}", "cannot read file: {reason}"),
    "tsv.unreadable.hint": ("パスを確かめてください", "check the path"),
    "tsv.no_column": ("見出しの行に列 {missing} がありません", "no column {missing} in the header line"),
    "tsv.no_column.hint": ("1 行目に列名を書いてください: {columns}", "the first line must name the columns: {columns}"),
    "rules.bad_rule": ("{number} 行目: {reason}", "line {number}: {reason}"),
    "rules.bad_rule.hint": ("ルールを直してください: 語を and/or/not でつなぎ、重みは数値にします",
                            "fix the rule: terms joined by and/or/not, a number weight"),
    "rules.no_pillar": ("{number} 行目: 柱の語がありません", "line {number}: no pillar words"),
    "rules.no_pillar.hint": ("どの柱か書いてください (例: 提案制度)", "say which pillar, e.g. 提案制度"),
    "rules.ends_early": ("'{rule}': 途中で終わっています", "'{rule}': ends too early"),
    "rules.missing_paren": ("'{rule}': ')' がありません", "'{rule}': missing ')'"),
    "rules.missing_term": ("'{rule}': '{token}' の前に語がありません", "'{rule}': a term is missing before '{token}'"),
    "rules.unexpected": ("'{rule}': ここに '{token}' は置けません", "'{rule}': unexpected '{token}'"),
    "corrections.incomplete": ("{number} 行目: 項目と柱の両方が必要です", "line {number}: item and pillar are both needed"),
    "corrections.incomplete.hint": ("項目名とその柱を書いてください", "give the item name and its pillar"),
    "model.not_a_model": ("plandraft のモデルではありません ({reason})", "not a plandraft model ({reason})"),
    "model.not_a_model.hint": ("plandraft train で作り直してください", "rebuild it with plandraft train"),
    "model.damage.json": ("JSON の途中で切れているか、壊れています", "not JSON, or cut short"),
    "model.damage.neighbours": ("分類済みの施策の部分が壊れています", "its labelled measures are damaged"),
    "model.damage.missing": ("「{key}」の部分がありません", "no {key} in it"),
    "model.damage.other": ("中身が壊れているか、別の版のファイルです", "damaged, or of another version"),
    "model.bad_format": ("{format} のファイルではありません", "not a {format} file"),
    "model.vectors_missing": ("モデルが使う単語ベクトルのファイルがありません", "the word vectors file the model needs is missing"),
    "model.vectors_missing.hint": ("plandraft を入れ直してください", "reinstall plandraft"),
    "model.other_vectors": ("別の単語ベクトル ({table}) で学習したモデルです", "trained with other word vectors ({table})"),
    "model.other_vectors.hint": ("plandraft train で作り直してください", "rebuild it with plandraft train"),
    "vectors.unreadable": ("単語ベクトルのファイルが壊れています ({reason})", "the word vectors file is damaged ({reason})"),
    "vectors.unreadable.hint": ("plandraft を入れ直してください", "reinstall plandraft"),
    "labelled.bad_reference_row": ("{number} 行目: 施策、柱、分割 (train, tune, test) が必要です",
                                   "line {number}: a measure, a pillar and a split (train, tune, test) are needed"),
    "labelled.bad_reference_row.hint": ("その行を直してください", "fix the row"),
    "labelled.not_measure_pillar": ("{number} 行目: 施策ではない事業の柱は 0 (どの柱にも当たらない) です: {pillar}",
                                    "line {number}: a project that is no measure has pillar 0 (fits no pillar): {pillar}"),
    "labelled.not_measure_pillar.hint": ("柱を 0 にするか、施策なら measures.tsv に移してください",
                                         "make its pillar 0, or move it to measures.tsv if it is a measure"),
    "labelled.bad_row": ("{number} 行目: 項目と柱が必要です", "line {number}: an item and a pillar are needed"),
    "labelled.bad_row.hint": ("その行を直してください", "fix the row"),
    "labelled.one_pillar": ("学習用の行に柱が 2 つ以上ありません", "fewer than two pillars among the training rows"),
    "labelled.one_pillar.hint": ("ラベル付きの施策を増やしてください", "give more labelled measures"),
    "gold.bad_row": ("{number} 行目: 項目と柱の番号が必要です", "line {number}: an item and a pillar number are needed"),
    "gold.bad_row.hint": ("正解ファイルを直してください", "fix the gold file"),
    "gold.empty": ("正解の行がありません", "no gold rows"),
    "gold.empty.hint": ("見出しの行 (item, pillar, alt) と、項目ごとに 1 行を書いてください",
                        "give a header line (item, pillar, alt) and one row per item"),
    # -- compare and run summaries ----------------------------------------------------------------
    "compare.unnamed": ("{count} 件の計画に市町村名がなく、それぞれ別の列にしました (plandraft library add PLAN --city CITY で名前を付けられます)",
                        "{count} plans name no city and have a column of their own (plandraft library add PLAN --city CITY names it)"),
    "compare.summary": ("{city} と他の {others} 市町村: 他市の施策 {pairs} 件、うち当市に対応するもののない施策 {unmatched} 件、不足のまとまり {gaps} 件",
                        "{city} vs {others} others: {pairs} measures of theirs, {unmatched} with no counterpart in ours, {gaps} gap groups"),
    "run.outline": ("構成案: {path} (施策の柱 {count} 本)", "outline: {path} ({count} pillars)"),
    "run.read": ("読みました {path}: {city} {year}、{count} 件", "read {path}: {city} {year}, {count} items"),
    "run.drafted": ("{year} の案を {path} から作成しました: 確認が必要な箇所 {count} か所 (案の最後に一覧があります)",
                    "drafted {year} from {path}: {count} places to check (listed at the end of the draft)"),
    "run.compared": ("他の {count} 市町村と比較しました: 当市に対応するもののない他市の施策 {gaps} 件",
                     "compared with {count} other cities: {gaps} of their measures have no counterpart in ours"),
    "run.compared_reference": ("他の {count} 市町村、参考事例 {measures} 件 ({cities} 市町村) と比較しました: 当市に対応するもののない他市の施策 {gaps} 件",
                               "compared with {count} other cities and {measures} reference measures of {cities} municipalities: {gaps} of their measures have no counterpart in ours"),
    # -- converting old Office files (LibreOffice) ------------------------------------------------
    "convert.missing": ("'{suffix}' のファイルを読むには LibreOffice が要りますが、インストールされていません",
                        "reading '{suffix}' files needs LibreOffice, which is not installed"),
    "convert.missing.hint": ("LibreOffice をインストールする (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui "
                             "libreoffice-calc-nogui、Windows/macOS: LibreOffice のインストーラー) か、ファイルを {app} で開いて .{target} 形式で保存してください",
                             "install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui "
                             "libreoffice-calc-nogui; Windows/macOS: the LibreOffice installer), or open the file and save it as .{target} in {app}"),
    "convert.after": ("{reason} ({suffix} から LibreOffice で変換した後)", "{reason} (after conversion from {suffix} by LibreOffice)"),
    "convert.after.hint": ("開いて .{target} 形式で保存してください", "open it and save it as .{target}"),
    "convert.wrong_content": ("正しい {suffix} のファイルではありません (中身がその形式ではありません)",
                              "not a valid {suffix} file (its content is not of that type)"),
    "convert.wrong_content.hint": ("{app} で開き、.{target} 形式で保存してください", "open it in {app} and save it as .{target}"),
    "convert.failed": ("LibreOffice はこの {suffix} のファイルを変換できませんでした ({how})。壊れているか、パスワード付きかもしれません",
                       "LibreOffice could not convert this {suffix} file ({how}); it may be damaged or password-protected"),
    "convert.failed.hint": ("開いて .{target} 形式で保存してください", "open it and save it as .{target}"),
    "convert.no_output": ("出力なし", "no output"),
    "convert.not_started": ("LibreOffice を起動できませんでした ({reason})", "LibreOffice could not be started ({reason})"),
    "convert.not_started.hint": ("LibreOffice のインストールを確かめるか、ファイルを .docx/.xlsx 形式で保存してください",
                                 "check the LibreOffice installation, or save the file as .docx/.xlsx"),
    "convert.timeout": ("LibreOffice の変換が {seconds} 秒を超えました", "LibreOffice took longer than {seconds} s to convert it"),
    "convert.timeout.hint": ("壊れているか、とても大きなファイルかもしれません。開いて .docx/.xlsx 形式で保存してください",
                             "the file may be damaged or very large; open it and save it as .docx/.xlsx"),
    "csv.unreadable": ("読める .csv ではありません ({reason})", "not a readable .csv ({reason})"),
    "csv.unreadable.hint": ("Excel で開き、.xlsx か .csv 形式で保存してください", "open it in Excel and save it as .xlsx or .csv"),
    # -- PDF and OCR ------------------------------------------------------------------------------
    "ocr.install.hint": ("日本語モデル付きの Tesseract をインストールする (Debian/Ubuntu: sudo apt-get install tesseract-ocr "
                         "tesseract-ocr-jpn、Windows: 日本語を選んで Tesseract のインストーラー) と OCR で読めます。先に OCR をかけておいても構いません",
                         "install Tesseract with its Japanese model (Debian/Ubuntu: sudo apt-get install tesseract-ocr "
                         "tesseract-ocr-jpn; Windows: the Tesseract installer with Japanese) so plandraft can OCR it, "
                         "or run OCR on it first"),
    "ocr.no_tesseract": ("Tesseract (OCR) がインストールされていません", "Tesseract (OCR) is not installed"),
    "ocr.no_japanese": ("Tesseract の日本語モデル (jpn) がインストールされていません", "Tesseract's Japanese model (jpn) is not installed"),
    "ocr.no_opencv": ("OpenCV (opencv-python-headless) がインストールされていません", "OpenCV (opencv-python-headless) is not installed"),
    "pdf.not_pdf": ("PDF ではありません (%PDF の見出しがありません)", "not a PDF (no %PDF header)"),
    "pdf.not_pdf.hint": ("ファイルを確かめてください: 別の形式のファイルの名前を変えたものかもしれません",
                         "check the file: it may be another format renamed"),
    "pdf.truncated": ("壊れているか途中までの PDF です (終わりの印がありません)", "corrupt or truncated PDF (no end-of-file marker)"),
    "pdf.truncated.hint": ("完全なファイルを入手してください", "get a complete copy"),
    "pdf.encrypted": ("パスワードの付いた PDF です", "encrypted PDF"),
    "pdf.encrypted.hint": ("パスワードを外して保存し直してから指定してください", "remove the password and retry"),
    "pdf.corrupt": ("壊れているか途中までの PDF です", "corrupt or truncated PDF"),
    "pdf.corrupt.hint": ("開いて保存し直す (PDF に印刷するなど) か、完全なファイルを入手してください",
                         "open and re-save it (e.g. print to PDF) and retry"),
    "pdf.no_text.hint": ("OCR で読むには --ocr auto を付けてください", "run OCR first (--ocr auto)"),
    "pdf.no_pages": ("壊れた PDF です (ページがありません)", "corrupt PDF (no pages)"),
    "pdf.no_pages.hint": ("完全なファイルを入手してください", "get a complete copy of the file"),
    "ocr.always_but": ("--ocr always が指定されていますが、{why}", "--ocr always, but {why}"),
    "ocr.stopped": ("時間の上限で OCR をやめました: {pages} ページは読んでいません (--timeout を大きくしてください)",
                    "OCR stopped at the time limit: pages {pages} were not read (raise --timeout)"),
    "ocr.pages_unread": ("{pages} ページには使える文字がなく、読んでいません ({kinds}。{why}: {hint})",
                         "pages {pages} have no usable text and were not read ({kinds}; {why}: {hint})"),
    "ocr.read_nothing": ("{reason}。OCR でも文字を読めませんでした", "{reason}, and OCR read no text on it"),
    "ocr.read_nothing.hint": ("スキャンが読める状態か (200〜300 dpi、正しい向き、薄すぎない) 確かめるか、元のファイルを指定してください",
                              "check that the scan is legible (200-300 dpi, upright, not too faint), or give the original file"),
    "ocr.use_auto": ("--ocr auto を付けて実行すると OCR で読みます", "run with --ocr auto to read them by OCR"),
    "ocr.kind.none": ("文字情報がありません (スキャン?)", "no text layer (scanned?)"),
    "ocr.kind.cid": ("(cid:N) の符号: Unicode の対応表のないフォント", "(cid:N) codes: fonts without a Unicode map"),
    "ocr.kind.scan": ("スキャン画像", "scanned images"),
    "ocr.kind.ocr": ("--ocr always", "--ocr always"),
    "pdf.cid_only": ("PDF の文字を取り出せません: フォントに Unicode の対応表がありません ((cid:N) の符号だけです)",
                     "PDF text cannot be extracted: its fonts have no Unicode map (only (cid:N) codes)"),
    "pdf.no_text": ("文字情報のない PDF です (スキャン?)", "PDF has no text layer (scanned?)"),
    "pdf.scanned": ("PDF のページがスキャン画像です", "PDF pages are scanned images"),
    "ocr.never": ("{reason}。--ocr never のため読んでいません", "{reason}; not read with --ocr never"),
    "ocr.never.hint": ("--ocr auto を付けて実行すると OCR で読みます", "run with --ocr auto to read it by OCR"),
    "ocr.and_why": ("{reason}。{why}", "{reason}, and {why}"),
    "ocr.read_pages": ("{pages} ページを OCR で読みました", "pages {pages} were read by OCR"),
    "ocr.low": ("。{count} 件は認識の確からしさが低いので確かめてください", "; {count} items recognised with low confidence: check them"),
    "ocr.low.one": ("。{count} 件は認識の確からしさが低いので確かめてください", "; {count} item recognised with low confidence: check them"),
    "ocr.failed": ("OCR に失敗しました ({reason})", "OCR failed ({reason})"),
    "ocr.failed.hint": ("Tesseract のインストールを確かめてください", "check the Tesseract installation"),
    "ocr.tesseract_failed": ("OCR に失敗しました ({reason})", "OCR failed ({reason})"),
    "ocr.tesseract_failed.hint": ("Tesseract のインストールと日本語モデルを確かめてください",
                                  "check the Tesseract installation and its Japanese model"),
    # -- files plandraft does not read -------------------------------------------------------------
    "files.cannot_read": ("'{suffix}' のファイルは読めません", "'{suffix}' files cannot be read"),
    "files.image": ("画像 ('{suffix}') で、文書ではありません", "an image ('{suffix}'), not a document"),
    "files.image.hint": ("スキャナで PDF として保存するか、画像を 1 つの PDF にまとめてください (スキャンした PDF は OCR で読みます)",
                         "scan it to PDF, or put the images into one PDF (scanned PDFs are read by OCR)"),
    "files.save_as_docx": ("{app}で開き、Word 形式(.docx)で保存してください", "open it in {app} and save it as a Word document (.docx)"),
    "files.export_docx": ("{app} で開き、書き出しで Word 形式(.docx)で保存してください", "open it in {app} and export it as a Word document (.docx)"),
    "files.export_xlsx": ("{app} で開き、書き出しで Excel 形式(.xlsx)で保存してください", "open it in {app} and export it as an Excel workbook (.xlsx)"),
    "files.export_pdf": ("{app} で開き、書き出しで PDF にしてください", "open it in {app} and export it as PDF"),
    "files.save_pdf": ("{app} で開き、PDF として保存してください", "open it in {app} and save it as PDF"),
    "files.print_pdf": ("PDF に印刷し直してください", "print it to PDF"),
    "files.html": ("ブラウザで開き、PDF に印刷するか Word で開いて .docx で保存してください",
                   "open it in a browser and print it to PDF, or open it in Word and save it as .docx"),
    "files.archive": ("展開して、中のファイルかフォルダを指定してください", "extract it and give the files or the folder inside"),
    "files.not_documents": ("読んでいません: 文書ではないファイル {count} 件 ({names})",
                            "not read: {count} files that are not a document ({names})"),
    "files.not_documents.one": ("読んでいません: 文書ではないファイル {count} 件 ({names})",
                                "not read: {count} file that is not a document ({names})"),
    "files.more": ("{names} ほか {count} 件", "{names} and {count} more"),
    # -- the web page's project ----------------------------------------------------------------------
    "web.reading": ("計画書を読み込んでいます", "reading the plans"),
    "web.reading_file": ("読み込み：{name}", "reading: {name}"),
    "web.matching": ("柱に照合しています", "matching to the pillars"),
    "web.comparing": ("ライブラリに登録して他市と比較しています", "adding to the library and comparing with other cities"),
    "web.compare_needs": ("構成案と当市の計画を読み込んでから比較できます",
                          "read the outline and our plan first, then compare"),
    "web.inputs_missing": ("構成案と当市の計画がそろっていません（「1. 文書」で確かめてください）",
                           "the outline or our plan is missing (see \"1. 文書\")"),
    "web.no_year": ("{name} に年度が見つかりません（作成する年度を入力してください。例：平成22年度）",
                    "no fiscal year found in {name} (enter the year to draft, e.g. 平成22年度)"),
    "web.drafting": ("計画案を作成しています", "writing the draft"),
    "web.comparison_table": ("他市との比較表を作成しています", "writing the comparison with other cities"),
    "web.done": ("完了", "done"),
    # -- help texts (argparse) ------------------------------------------------------------------
    "help.examples": ("例:", "examples:"),
    "help.plandraft": ("前年度の計画、計画の構成案、他市の計画から、来年度の市民協働アクションプランの案を作ります。",
                       "Drafts next year's 市民協働 action plan from last year's plan, the draft outline "
                       "(計画の構成案) and other cities' plans."),
    "help.epilog": ("終了コード: 0 完了、1 読めない入力ファイルがありました (ほかは処理しました)、\n"
                    "2 使い方の誤り、3 内部エラー (詳しくは表示されるログファイルに)、\n"
                    "4 出力を書き込めませんでした (Word で開いているなど)、130 中断。\nコマンドのオプションと例は `plandraft COMMAND -h` で表示します。\n"
                    "メッセージは日本語です。英語にするには --lang en (または PLANDRAFT_LANG=en、英語か C のロケール):\n"
                    "  plandraft --lang en ingest plan.pdf",
                    "exit codes: 0 done; 1 some input files could not be read (the rest were processed);\n"
                    "2 usage error; 3 internal error (details in the log file named); 4 an output could not be written\n"
                    "(e.g. open in Word); 130 interrupted. Run `plandraft COMMAND -h` for a command's options and an example.\n"
                    "messages are in Japanese; --lang en (or PLANDRAFT_LANG=en, or an English or C locale) gives English:\n"
                    "  plandraft --lang en ingest plan.pdf"),
    "help.lang": ("メッセージの言語、ja か en (既定: PLANDRAFT_LANG があればそれ、英語か C のロケールなら en、ほかは ja)",
                  "the language of messages, ja or en (default: PLANDRAFT_LANG if set, else en for an "
                  "English or C locale, else ja)"),
    "help.reference": ("組み込みの他市町村の施策 (参考事例) を使うか: auto (既定: 他市の計画を指定しないとき)、"
                       "always (他市の計画と一緒に) か none",
                       "use the built-in measures of other municipalities (参考事例): auto (default: when "
                       "no other cities' plans are given), always (beside them) or none"),
    "help.library": ("ライブラリのファイル (既定: {path})", "the library file (default: {path})"),
    "help.outline": ("構成案 (計画の構成案)", "the draft outline (計画の構成案)"),
    "help.output_folder": ("出力フォルダ (既定: outputs)", "output folder (default: outputs)"),
    "help.json_summary": ("JSON の要約を標準出力に出します", "print a JSON summary to stdout"),
    "help.json": ("JSON を標準出力に出します", "print JSON to stdout"),
    "help.no_cache_all": ("すべてのファイルを読み直します", "parse every file again"),
    "help.run": ("入力フォルダで作業全体をします (make draft)", "the whole job on a folder of inputs (make draft)"),
    "help.run.description": ("FOLDER の構成案とすべての計画を読み (どれが何かは FOLDER/plandraft.toml に書きます)、"
                             "施策をそれぞれ柱に照合して、来年度の案、その新旧対照表、他市との比較 (すべての計画をライブラリにも追加します)、"
                             "JSON の結果を出力フォルダに書き出します。やり直すと前回の出力を置き換えます。"
                             "手を加えたファイルは先に .bak として残します。",
                             "Read the outline and every plan in FOLDER (which file is which: "
                             "FOLDER/plandraft.toml), match every measure to a pillar and write next year's "
                             "draft, its 新旧対照表, the comparison with other cities (and add every plan to the "
                             "library) and the JSON results to the output folder. A re-run "
                             "replaces its own earlier outputs; a file you edited is kept as a .bak first."),
    "help.run.folder": ("入力フォルダ (既定: inputs)", "input folder (default: inputs)"),
    "help.run.progress": ("記入済みの前年度の進行管理シート (または他市の進捗報告。担当課ごとの写しは --progress を繰り返すか、それらのフォルダを指定): 完了・廃止の施策は除き、"
                          "ほかは結果に応じて印を付けます (既定: plandraft.toml の progress)",
                          "last year's filled 進行管理シート (or another city's progress "
                          "report; the departments' copies: repeat --progress or give their folder): completed and abolished measures are dropped, "
                          "the others flagged as their results ask (default: progress in plandraft.toml)"),
    "help.draft": ("来年度の計画を Word の案と新旧対照表に書き出します", "write next year's plan as a Word draft and its 新旧対照表"),
    "help.draft.description": ("担当者が仕上げられる来年度のアクションプランの案を Word で書き出します: 前年度の項目を構成案の柱の下に"
                               "年度を進めて置き、他市の事業を新規候補として加え、判断が必要な箇所すべてに印を付けて最後に一覧にします。"
                               "あわせて新旧対照表も書き出します。書き出したファイルのパスを表示します。",
                               "Write next fiscal year's action plan as a Word draft a planner can finish: last "
                               "year's items under the outline's pillars with their years rolled over, other cities' projects "
                               "as 新規候補, and every place that needs a decision marked and listed at the end; beside it, "
                               "the 新旧対照表. Prints the paths written."),
    "help.draft.plan": ("前年度のアクションプラン (.pdf .docx .xlsx .txt .md)", "last year's action plan (.pdf .docx .xlsx .txt .md)"),
    "help.draft.others": ("事業の候補を探す他市の計画 (ファイルかフォルダ)", "other cities' plans (files or folders) to suggest projects from"),
    "help.draft.year": ("新しい計画の年度 (例: 平成22年度 または 2010。既定: 計画の年度 + 1)",
                        "the new plan's fiscal year, e.g. 平成22年度 or 2010 (default: the plan's year + 1)"),
    "help.draft.corrections": ("項目の所属についての担当者の修正 (既定: 構成案と同じフォルダの corrections.tsv。plandraft run と同じ)",
                               "a planner's corrections of where items belong "
                               "(default: corrections.tsv beside the outline, as plandraft run uses)"),
    "help.draft.template": ("案の Word テンプレート (既定: templates/draft.docx)", "the Word template of the draft (default: templates/draft.docx)"),
    "help.draft.force": ("既にあるファイルを置き換えます (元のファイルは .bak に残します)", "replace existing files (the old ones are kept as .bak)"),
    "help.draft.review": ("確認箇所の示し方: Word のコメント (既定) か、本文中の強調と ▲ の行",
                          "how the places to check are shown: Word comments (default) or inline highlighting and ▲ lines"),
    "help.draft.progress": ("記入済みの前年度の進行管理シート (または他市の進捗報告。担当課ごとの写しは --progress を繰り返すか、それらのフォルダを指定): "
                            "完了・廃止の施策は除き、ほかは結果に応じて印を付けます",
                            "last year's filled 進行管理シート (or another city's progress "
                            "report; the departments' copies: repeat --progress or give their folder): completed and abolished measures are dropped, the others flagged as their results ask"),
    "help.draft.json": ("JSON の要約 (パス、確認箇所の一覧) を標準出力に出します", "print a JSON summary (paths, review list) to stdout"),
    "help.ingest": ("計画の文書を読んで項目に分けます", "read plan documents into structured items"),
    "help.ingest.description": ("計画の文書 (.pdf .docx .xlsx .doc .xls .rtf .odt .ods .csv .txt .md、またはそれらのフォルダ。"
                                "スキャンした PDF のページは OCR で) を読み、項目に分けます: 施策の方針、■ 施策、項目、内容、関係部署、"
                                "主体の印、タグ、年度、市町村、出典。",
                                "Read plan documents (.pdf .docx .xlsx .doc .xls .rtf .odt .ods .csv .txt .md, or folders "
                                "of them; scanned PDF pages by OCR) "
                                "into items: policy, ■ measure, 項目, 内容, 関係部署, actor mark, tags, year, city, source."),
    "help.paths": ("ファイルかフォルダ", "files or folders"),
    "help.ingest.output": ("JSON を FILE に書き出します (途中で止まっても壊れません)", "write the JSON to FILE (atomically)"),
    "help.ingest.force": ("-o の FILE が ingest の書き出したものでなくても置き換えます (元のファイルは .bak に残します)",
                          "replace the -o FILE even if ingest did not write it (the old file is kept as a .bak)"),
    "help.ingest.no_cache": ("変わっていないファイルも読み直します", "parse again even if the file is unchanged"),
    "help.ingest.library": ("文書の施策をこのライブラリにも入れます (例: outputs/library.sqlite)。`plandraft search` と `compare` で使います",
                            "also keep the documents' measures in this library "
                            "(e.g. outputs/library.sqlite) for `plandraft search` and `compare`"),
    "help.workers": ("同時に動かすプロセスの数 (既定: CPU の数)", "parallel processes (default: the CPU count)"),
    "help.timeout": ("これより時間のかかるファイルは読むのをやめます (既定 {seconds})", "give up on a file that takes longer (default {seconds})"),
    "help.memory_limit": ("読むのにこれより多くのメモリが要るファイルはやめます (既定 {mb}、256 以上)",
                          "give up on a file whose reading needs more memory (default {mb}, at least 256)"),
    "help.ocr": ("PDF のページを OCR (Tesseract、日本語) で読むか: auto は使える文字のないページ (スキャン、(cid:N) の符号)、"
                 "always はすべてのページ、never は読まない (既定 auto)",
                 "read PDF pages by OCR (Tesseract, Japanese): auto, the pages without a usable text "
                 "layer (scans, (cid:N) codes); always, every page; never, none (default auto)"),
    "help.serve": ("照合を確かめて案をダウンロードする Web ページを開きます", "open the web page to review matches and download the draft"),
    "help.serve.description": ("このコンピューターで Web ページを開きます。ページでは文書を追加し、各施策の柱を確かめて直し "
                               "(inputs/corrections.tsv に保存され、ほかのコマンドも使います)、他市との比較を見て、ライブラリを検索し、"
                               "Word の案をダウンロードできます。DIR は `plandraft run` と同じ inputs/ と outputs/ のあるプロジェクトの"
                               "フォルダです (ページで追加したファイルは DIR/uploads/ に入ります)。--host を指定しない限り、"
                               "このコンピューターからしか開けません。Ctrl+C で止まります。",
                               "Start a web page on this computer where you add documents, check and "
                               "correct where each measure landed (saved to inputs/corrections.tsv, as the other "
                               "commands use it), look at the comparison with other cities, search the library and "
                               "download the Word draft. DIR is a project folder with the inputs/ and outputs/ "
                               "layout of `plandraft run` (files added on the page go to DIR/uploads/). Only this "
                               "computer can open the page unless --host says otherwise. Stop it with Ctrl+C."),
    "help.serve.project": ("プロジェクトのフォルダ (既定: 今のフォルダ)", "project folder (default: the current folder)"),
    "help.serve.port": ("ポート番号 (既定 8000)", "port number (default 8000)"),
    "help.serve.host": ("待ち受けるアドレス (既定 127.0.0.1: このコンピューターだけ。ほかのアドレスにすると、"
                        "ネットワーク上のほかのコンピューターがページを開き、ファイルを変えられます)",
                        "address to listen on (default 127.0.0.1: this computer only; another address lets "
                        "other computers on the network open the page and change your files)"),
    "help.serve.allow_host": ("--host と一緒に: このコンピューターの別の名前 (何度でも指定できます)。ページは自分の名前とアドレスにしか"
                              "応えないので、Web サイトが自分の名前を通してページに届くことはありません (DNS リバインディング)",
                              "with --host: another name this computer is reached by (repeatable). The page answers "
                              "only to its own names and addresses, so a web site cannot reach it through a name of its own "
                              "(DNS rebinding)"),
    "help.serve.no_browser": ("ブラウザでページを開きません", "do not open the page in a browser"),
    "help.compare": ("当市の施策を他市の施策と、柱ごとに比べます", "compare our measures with other cities', pillar by pillar"),
    "help.compare.description": ("構成案の柱ごとに当市と他市の施策を数え、他市の施策それぞれに当市の最も似た項目を探し、"
                                 "当市に対応するもののない他市の施策 (新規候補) を一覧にします。他市: 構成案の事例、--others、"
                                 "ライブラリのすべての市町村 (入力もライブラリに追加します)。DIR/comparison.xlsx "
                                 "(シート matrix、pairs、gaps)、DIR/heatmap.png と DIR/comparison.docx を書き出します。",
                                 "Count our measures and other cities' under each pillar of the outline, "
                                 "find for each of their measures our most similar item, and list theirs with no "
                                 "counterpart in ours (新規候補). Other cities: the outline's example projects, --others, "
                                 "and every city in the library (which the inputs are added to). Writes DIR/comparison.xlsx "
                                 "(sheets matrix, pairs, gaps), DIR/heatmap.png and DIR/comparison.docx."),
    "help.compare.outline": ("構成案 (その柱)", "the draft outline (its pillars)"),
    "help.compare.plan": ("当市の計画", "our plan"),
    "help.compare.others": ("他市の計画 (ファイルかフォルダ)", "other cities' plans (files or folders)"),
    "help.compare.city": ("当市の市町村名 (既定: 計画から読みます)", "our municipality (default: read from the plan)"),
    "help.compare.corrections": ("照合についての担当者の修正 (既定: 構成案と同じフォルダの corrections.tsv)",
                                 "a planner's corrections for the matcher (default: corrections.tsv beside the outline)"),
    "help.compare.threshold": ("類似度がこれより低い他市の施策は、当市に対応するものがないとします (既定 {default})",
                               "similarity under which a measure has no counterpart in ours (default {default})"),
    "help.compare.no_library": ("構成案と --others とだけ比べます", "compare only with the outline and --others"),
    "help.compare.output": ("出力フォルダ", "output folder"),
    "help.compare.force": ("前回の出力を置き換えます (元のファイルは残します)", "replace earlier outputs (a backup is kept)"),
    "help.search": ("ライブラリの施策を検索します (すべての市町村、すべての年度)", "search the library's measures (all cities, all years)"),
    "help.search.description": ("ライブラリのすべての施策を検索します。語は Sudachi の正規化した形で比べるので、出前講座で出前 講座が、"
                                "ｺﾐｭﾆﾃｨでコミュニティーが、引越しで引っ越しが見つかります。結果は順位付きで (項目に当たると最も高く)、"
                                "市町村、年度、出典を添えます。--reference を付けると、plandraft に入っている他市町村の参考事例 "
                                "(それぞれ市町村と出典付き) も検索します。",
                                "Search every measure in the library. Words are compared in Sudachi's "
                                "normalized form, so 出前講座 finds 出前 講座, ｺﾐｭﾆﾃｨ finds コミュニティー and 引越し finds "
                                "引っ越し; results are ranked (a hit in the 項目 counts most), with city, year and source. "
                                "--reference also searches the reference measures of other municipalities shipped with "
                                "plandraft (参考事例, each with its city and source)."),
    "help.search.query": ("探す語 (すべてを含むものを、合うものから順に)", "words to look for (all of them, best first)"),
    "help.search.city": ("この市町村の施策だけ (安城 で安城市が見つかります)", "only this city's measures (安城 finds 安城市)"),
    "help.search.pillar": ("構成案の柱 N に照合された施策だけ", "only measures matched to pillar N of the outline"),
    "help.search.limit": ("表示するのは N 件まで (既定 20)", "at most N results (default 20)"),
    "help.search.reference": ("組み込みの参考事例も検索します (他市町村の実際の施策。それぞれ市町村と出典付き)",
                              "search the built-in reference measures too "
                              "(other municipalities' real measures, each naming its city and source)"),
    "help.outline_command": ("構成案の施策の柱を読みます", "read the draft outline's policy pillars"),
    "help.outline_command.description": ("構成案 (計画の構成案) を読み、柱に分けます: 名前、説明、内容、他市の事例。",
                                         "Read the draft outline (計画の構成案) into its pillars: title, "
                                         "description, topics and other cities' example projects."),
    "help.outline_command.path": ("構成案 (.txt .md .docx .pdf)", "the outline (.txt .md .docx .pdf)"),
    "help.knowledge.corrections": ("担当者の修正: 項目 → 柱 (常に優先します。既定: 構成案と同じフォルダにあれば corrections.tsv)",
                                   "a planner's corrections: item → pillar (always win; "
                                   "default: corrections.tsv beside the outline, when there is one)"),
    "help.knowledge.rules": ("分類ルール (既定: 組み込みの pipeline/data/rules.tsv)", "coding rules (default: the shipped pipeline/data/rules.tsv)"),
    "help.knowledge.synonyms": ("同義語のまとまり (既定: pipeline/data/synonyms.tsv)", "synonym groups (default: pipeline/data/synonyms.tsv)"),
    "help.knowledge.stopwords": ("無視する語 (既定: pipeline/data/stopwords.txt)", "stop words (default: pipeline/data/stopwords.txt)"),
    "help.knowledge.model": ("学習した文章のモデル (既定: 組み込みの pipeline/data/match_model.json。plandraft train で作り直せます)",
                             "a trained text model (default: the shipped "
                             "pipeline/data/match_model.json; rebuild it with plandraft train)"),
    "help.knowledge.no_model": ("構成案、ルール、修正だけで照合します", "match by the outline, rules and corrections alone"),
    "help.knowledge.verbose": ("この構成案のどの柱にも合わないルールを表示します", "say which rules fit no pillar of this outline"),
    "help.classify": ("文章で与えた施策を構成案の柱に振り分けます", "assign measures given as text to outline pillars"),
    "help.classify.description": ("施策を 1 行に 1 つずつ読み (UTF-8。- か FILE なしなら標準入力)、それぞれを構成案の柱に、"
                                  "点数、確からしさ、根拠とともに振り分けます。--json では、入力の 1 行ごとに JSON を 1 つ、入力の順に出します。",
                                  "Read measures, one per line (UTF-8; - or no FILE: standard input), and "
                                  "assign each to a pillar of the outline, with score, confidence and evidence. With "
                                  "--json: one JSON object per input line, in input order."),
    "help.classify.file": ("施策、1 行に 1 つ (既定: 標準入力)", "measures, one a line (default: stdin)"),
    "help.classify.json": ("1 行に JSON を 1 つずつ標準出力に出します", "one JSON object per line to stdout"),
    "help.match": ("計画のすべての項目を構成案の柱に振り分けます", "assign every item of plans to outline pillars"),
    "help.match.description": ("計画の文書を読み、各項目を (名前、内容、■ 施策、施策の方針から) 構成案の柱に、点数、次点、根拠とともに"
                               "振り分けます。修正 (--corrections) はその項目について常に優先します。",
                               "Read plan documents and assign each item (by its name, content, measure "
                               "heading and policy title) to a pillar of the outline, with score, runner-up and "
                               "evidence. Corrections (--corrections) always win for their item."),
    "help.match.plans": ("計画のファイルかフォルダ", "plan files or folders"),
    "help.match.no_cache": ("変わっていない計画も読み直します", "parse the plans again even if unchanged"),
    "help.library_command": ("取り込んだすべての施策のライブラリ: 追加 (add)、一覧 (list)、削除 (remove)、読み込み (import)、書き出し (export)",
                             "the library of every measure ingested: add, list, remove, import, export"),
    "help.library_command.description": ("すべての計画の施策を 1 つの SQLite ファイル (既定 {path}) に入れ、検索 (plandraft search) "
                                         "と比較 (plandraft compare) に使います。同じファイルをもう一度追加すると、重ねずに更新します。"
                                         "import/export で、他市と施策を CSV か JSON でやり取りします (市町村、出典、柱もそのまま)。",
                                         "Keep every plan's measures in one SQLite file (default "
                                         "{path}) to search (plandraft search) and compare with (plandraft compare). "
                                         "Adding the same file again updates it, never duplicates it. import/export share "
                                         "measures with other cities as CSV or JSON (city, source and pillar kept)."),
    "help.library.add": ("計画 (ファイルかフォルダ) と構成案の事例を追加します", "add plans (files or folders) and the outline's example projects"),
    "help.library.add.city": ("これらの計画の市町村 (既定: 計画ごとに読みます)", "the municipality of these plans (default: read from each plan)"),
    "help.library.add.outline": ("施策をこの構成案の柱に照合し、その事例も追加します (既定: このライブラリで前回使った構成案)",
                                 "match measures to this outline's pillars and add its "
                                 "example projects (default: the outline last used with this library)"),
    "help.library.list": ("市町村、文書、項目の数", "cities, documents and item counts"),
    "help.library.remove": ("文書 (パスで指定) か、ある市町村のすべての施策を削除します", "remove documents (by path) or every measure of a city"),
    "help.library.remove.paths": ("削除する文書 (追加したときのパスか、同じファイル)", "documents to remove (as added, or the same file)"),
    "help.library.remove.city": ("この市町村のすべての施策を削除します (何度でも指定できます)", "remove every measure of this city (repeatable)"),
    "help.library.import": ("CSV か JSON のファイル (ほかのライブラリの書き出し) から施策を追加します",
                            "add measures from a CSV or JSON file (another library's export)"),
    "help.library.import.file": (".csv か .json のファイル: city、measure、source_url か source_title、"
                                 "あれば content、department、pillar、fiscal_year、source_location",
                                 "a .csv or .json file: city, measure, source_url or source_title, "
                                 "and optionally content, department, pillar, fiscal_year, source_location"),
    "help.library.export": ("すべての施策を、共有用に CSV か JSON のファイルに書き出します", "write every measure to a CSV or JSON file to share"),
    "help.library.export.file": (".csv (Excel で開けます) か .json のファイル", "a .csv (opens in Excel) or .json file"),
    "help.library.export.force": ("FILE があれば置き換えます", "replace FILE if it exists"),
    "help.evaluate": ("照合を、項目 → 柱の正解の一覧と比べて測ります", "measure matching against a gold list of item → pillar"),
    "help.evaluate.description": ("正解の TSV (列 item、pillar、alt。alt は許せるほかの柱をコンマ区切りで) のすべての項目を照合し、"
                                  "件数 n、1 位の正解率、許せる正解率、2 位までの正解率、柱どうしの取り違え、外れたものすべてを根拠とともに表示します。"
                                  "--plan を付けると項目を計画の中で探し、前後の文脈とともに照合します。付けなければ文言だけで照合します。",
                                  "Match every item of a gold TSV (columns item, pillar, alt; alt = acceptable "
                                  "other pillars, comma-separated) and print n, top-1, acceptable and top-2 accuracy, the "
                                  "confusion between pillars and every miss with its evidence. With --plan the items are "
                                  "looked up in the plan and matched with their context; otherwise by their text alone."),
    "help.evaluate.gold": ("項目 → 柱の正解の一覧", "gold item → pillar list"),
    "help.evaluate.plan": ("正解の項目のもとの計画", "the plan the gold items come from"),
    "help.evaluate.loo": ("1 つ抜き (leave-one-out) も: 各項目を、ほかの項目の正解を修正として照合し直します",
                          "also leave-one-out: each item again with the others' gold pillars as corrections"),
    "help.train": ("照合に使う学習済みモデルを、ラベル付きの施策から作り直します", "rebuild the matcher's trained model from labelled measures"),
    "help.train.description": ("照合で構成案やルールと組み合わせる文章のモデルを学習します: ラベル付きの施策 (参考事例の train の分割、"
                               "ラベル付きの一覧、担当者の修正。修正は 1 件ずつ学習の行になります) の文字 n-gram と語によるロジスティック回帰です。"
                               "C、組み合わせの重み、確認を求めるしきい値は tune の分割で選び、test の分割は読みません。モデルを JSON で書き出します "
                               "(既定: 組み込みの pipeline/data/match_model.json)。",
                               "Train the text model the matcher mixes with the outline and the rules: "
                               "logistic regression over character n-grams and words of labelled measures (the train "
                               "split of the reference set, the labelled sets and your corrections, each correction a "
                               "training row). Its C, its weight in the mix and the review threshold are chosen on the "
                               "tune split; the test split is never read. Writes the model as JSON (default: the "
                               "shipped pipeline/data/match_model.json)."),
    "help.train.not_measures": ("施策ではない実際の事業 (工事、備品、給付など。すべて柱 0) の TSV。どの柱にも当たらないと学ぶための行で、"
                                "成績には数えません (既定: pipeline/data/reference/not_measures.tsv があれば)",
                                "real projects that are no 協働 measure (works, equipment, benefits: all pillar 0), rows "
                                "that teach 'fits no pillar', never scored (default: pipeline/data/reference/not_measures.tsv "
                                "where present)"),
    "help.train.reference": ("split の列のあるラベル付きの実際の施策 (既定: pipeline/data/reference/measures.tsv)",
                             "labelled real measures with a split column "
                             "(default: pipeline/data/reference/measures.tsv)"),
    "help.train.labelled": ("ほかのラベル付きの一覧 (列 item、pillar、alt)。既定: あれば tests/data/*labelled*、"
                            "independent_measures、other_cities_sentences",
                            "more labelled sets (columns item, pillar, alt); "
                            "default: tests/data/*labelled*, independent_measures, other_cities_sentences when present"),
    "help.train.corrections": ("担当者の修正: 1 件ずつ学習の行になります", "a planner's corrections: each becomes a training row"),
    "help.train.output": ("モデルの書き出し先 (既定: 組み込みのモデル)", "where to write the model (default: the shipped one)"),
    "help.train.json": ("学習の報告を JSON で標準出力に出します", "print the training report as JSON to stdout"),
}


# argparse's own messages (usage errors before plandraft sees the arguments) in Japanese: the texts
# argparse passes to gettext, as written in its source.
ARGPARSE_JA = {
    "usage: ": "使い方: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "the following arguments are required: %s": "次の指定が必要です: %s",
    "unrecognized arguments: %s": "知らない指定です: %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r は選べません (選べるのは %(choices)s)",
    "invalid %(type)s value: %(value)r": "%(value)r は正しい値ではありません",
    "expected one argument": "値を 1 つ指定してください",
    "expected at least one argument": "値を 1 つ以上指定してください",
    "expected at most one argument": "値は 1 つまでです",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s はどれのことか分かりません (%(matches)s)",
    "not allowed with argument %s": "%s と一緒には指定できません",
    "one of the arguments %s is required": "%s のどれかを指定してください",
    "ignored explicit argument %r": "%r は使いません",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "この説明を表示して終わります",
}


def argparse_text(message: str) -> str:
    """argparse's message in the language of messages (argparse's gettext)."""
    return ARGPARSE_JA.get(message, message) if language() == "ja" else message


def language() -> str:
    """The language of messages: PLANDRAFT_LANG (set by --lang) if ja or en, else English for an
    English or C locale (LC_ALL, LC_MESSAGES, LANG), else Japanese."""
    chosen = os.environ.get(ENV, "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            return "en" if value.lower().startswith("en") or value.split(".")[0] in ("C", "POSIX") else "ja"
    return "ja"


def set_language(lang: str) -> None:
    """Use lang (ja or en) from now on, in this process and the worker processes it starts."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}: {lang!r}")
    os.environ[ENV] = lang


def text(code: str, lang: str | None = None, /, **params: Any) -> str:
    """The message code in lang (default: language()), with params filled in. KeyError for an
    unknown code (a test checks every code used exists)."""
    ja, en = MESSAGES[code]
    template = ja if (lang or language()) == "ja" else en
    return template.format(**params) if params else template


def input_error(code: str, *, path: str | None = None, **params: Any) -> InputError:
    """The InputError of code: its reason the message code, its hint `code.hint` (if any)."""
    hint = text(f"{code}.hint", **params) if f"{code}.hint" in MESSAGES else ""
    return InputError(text(code, **params), hint, path=path)
