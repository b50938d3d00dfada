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
    # -- files and folders -------------------------------------------------------------------
    "file.missing": ("ファイルが見つかりません", "no such file"),
    "file.missing.hint": ("パスを確かめてください", "check the path"),
    "file.unreadable": ("ファイルを読めません: {reason}", "cannot read file: {reason}"),
    "file.unreadable.hint": ("パスと権限を確かめてください", "check the path and permissions"),
    "file.empty": ("空のファイルです (0 バイト)", "empty file (0 bytes)"),
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
    "text.empty": ("空のファイルです (文字がありません)", "empty file (no text)"),
    "text.empty.hint": ("正しいファイルか確かめてください", "check that the right file was given"),
    "xlsx.missing_part": ("壊れた .xlsx です (部品 {part} がありません)", "corrupt .xlsx (missing part {part})"),
    "xlsx.missing_part.hint": ("Excel で開き、保存し直してください", "open and re-save it in Excel"),
    "xlsx.corrupt": ("壊れているか、読めない形式の .xlsx です", "corrupt or unsupported .xlsx"),
    "xlsx.corrupt.hint": ("Excel で開き、Excel ブック (.xlsx) 形式で保存し直してください", "open and re-save it in Excel as .xlsx"),
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
    "limits.bad_seconds": ("時間の上限は正の数で指定してください: {seconds}", "time limit must be positive: {seconds}"),
    "limits.bad_memory": ("メモリの上限は 256 MB 以上で指定してください: {mb}", "memory limit must be at least 256 MB: {mb}"),
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
    # -- the ingest command --------------------------------------------------------------------
    "ingest.not_plan": ("計画ではありません: {path}: {why}", "not a plan: {path}: {why}"),
    "ingest.no_measures": ("施策が見つかりません", "no measures found"),
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
    "draft.no_year": ("{path}: {reason} (--year で指定してください。例: --year 平成22年度)",
                      "{path}: {reason} (give --year, e.g. --year 平成22年度)"),
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
}


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
