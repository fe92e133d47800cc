/// The text of `.help` and `.help TOPIC`.
public enum Help {
  /// One help topic: its name, its form, what it does, and an example on the built-in tables.
  public struct Topic: Sendable {
    /// The topic name (a stage, function, dot command or concept).
    public var name: String
    /// How it is written.
    public var form: String
    /// What it does.
    public var summary: String
    /// A runnable example.
    public var example: String
  }

  /// Every topic, in the order of the overview.
  public static let topics: [Topic] = stages + aggregates + windows + scalars + dots

  static let stages: [Topic] = [
    Topic(
      name: "filter", form: "filter COND",
      summary: "keep rows where COND is true (null counts as false)",
      example: "scores | filter year == 2023 and score > 85"),
    Topic(
      name: "select", form: "select col, name = expr, …",
      summary: "keep only these columns, in this order",
      example: "scores | select region, year, score"),
    Topic(
      name: "drop", form: "drop col, …", summary: "remove columns",
      example: "scores | drop source, note"),
    Topic(
      name: "derive", form: "derive name = expr, … [by k, …] [order key [desc], …]",
      summary: "add or replace columns; window functions run per partition `by`, in `order`",
      example: "scores | derive prev = lag(score) by region_code, indicator order year"),
    Topic(
      name: "sort", form: "sort key [asc|desc] [nulls first|last], …",
      summary: "stable sort; nulls last in both directions unless nulls first",
      example: "scores | sort score desc, region"),
    Topic(
      name: "take", form: "take N", summary: "the first N rows",
      example: "scores | sort score desc | take 5"),
    Topic(
      name: "group", form: "group k, … (name = AGG, …)",
      summary: "one row per key combination, ordered by the keys; alone gives n = count()",
      example: "scores | group indicator, year (n = count(), avg_score = avg(score))"),
    Topic(
      name: "rank", form: "rank expr [asc|desc] [by k, …] [as name]",
      summary:
        "competition rank (1, 2, 2, 4) inside each partition, default desc; rows ordered by partition, rank",
      example: "scores | filter indicator == \"kepatuhan\" | rank score by year"),
    Topic(
      name: "top", form: "top N expr [asc|desc] [by k, …] [no ties]",
      summary: "rank, then keep rank ≤ N (ties kept; no ties: exactly N rows)",
      example: "scores | filter indicator == \"kepatuhan\" | top 3 score by year"),
    Topic(
      name: "join", form: "join [left] T on a == b [and c == d] | on k",
      summary: "hash join with a table or ( pipeline ); clashing right names get _T",
      example: "scores | join regions on region_code == code | select region, type, score"),
    Topic(
      name: "distinct", form: "distinct [col, …]", summary: "unique rows in first-appearance order",
      example: "scores | distinct indicator"),
    Topic(
      name: "append", form: "append T", summary: "rows of T after these, columns matched by name",
      example: "scores | filter year == 2022 | append (scores | filter year == 2023)"),
    Topic(
      name: "pivot", form: "pivot key value [AGG]",
      summary: "one column per distinct key value holding AGG(value) (default sum)",
      example:
        "scores | filter indicator == \"kepatuhan\" | select region, year, score | pivot year score avg"
    ),
    Topic(
      name: "describe", form: "describe",
      summary: "one row per column: name, type, count, nulls, distinct, min, max, mean",
      example: "scores | describe"),
    Topic(
      name: "save", form: "save \"file.csv|tsv|json|jsonl|md\"",
      summary: "write the table atomically; ends the pipeline",
      example: "scores | filter year == 2023 | save \"scores2023.csv\""),
    Topic(
      name: "trend", form: "trend x y [by series] [width W] [height H]",
      summary: "line chart of y over x (a number, year or date), up to 8 series",
      example: "scores | filter indicator == \"ipp\" and region ~ \"mojokerto\" | trend year score"),
    Topic(
      name: "bar", form: "bar label value [width W]",
      summary: "one bar per row, in row order, with the value printed after it",
      example: "awards | group giver (n = count()) | bar giver n"),
    Topic(
      name: "hist", form: "hist col [bins N] [width W]",
      summary: "histogram with nice bin edges and the nulls left out counted",
      example: "scores | filter indicator == \"kepatuhan\" | hist score"),
    Topic(
      name: "let", form: "let name = PIPELINE", summary: "keep a result as a table",
      example: "let jatim = scores | filter province == \"Jawa Timur\""),
    Topic(
      name: "from", form: "from NAME | from \"file\" [(options)]",
      summary:
        "a table, or a file loaded on the spot (relative to the script), with .load's options",
      example: "from scores | take 3"),
  ]

  static let aggregates: [Topic] = [
    Topic(
      name: "count", form: "count() | count(x)", summary: "rows, or non-null values",
      example: "scores | group indicator (n = count(), scored = count(score))"),
    Topic(
      name: "count_distinct", form: "count_distinct(x)", summary: "distinct non-null values",
      example: "scores | group year (regions = count_distinct(region))"),
    Topic(
      name: "sum", form: "sum(x)", summary: "sum of non-null values (null when none)",
      example: "scores | group year (total = sum(score))"),
    Topic(
      name: "avg", form: "avg(x) | mean(x)", summary: "mean of non-null values",
      example: "scores | group year (avg_score = avg(score))"),
    Topic(
      name: "min", form: "min(x) / max(x)", summary: "smallest / largest value",
      example: "scores | group indicator (lo = min(score), hi = max(score))"),
    Topic(
      name: "median", form: "median(x)",
      summary: "middle value; mean of the two middle ones for an even count",
      example: "scores | group indicator (med = median(score))"),
    Topic(
      name: "quantile", form: "quantile(x, p)",
      summary: "linear interpolation between closest ranks",
      example: "scores | group indicator (p90 = quantile(score, 0.9))"),
    Topic(
      name: "stddev", form: "stddev(x)", summary: "sample standard deviation",
      example: "scores | group indicator (sd = stddev(score))"),
    Topic(
      name: "var", form: "var(x)", summary: "sample variance (the square of stddev)",
      example: "scores | group indicator (v = var(score))"),
    Topic(
      name: "mode", form: "mode(x)", summary: "most frequent value (the least among ties)",
      example: "scores | group province (usual = mode(zone))"),
    Topic(
      name: "string_agg", form: "string_agg(x[, sep])",
      summary: "the values as text in row order, joined by sep (default ,)",
      example:
        "regions | filter type == \"kota\" | group province (cities = string_agg(name, \"; \"))"),
    Topic(
      name: "corr", form: "corr(y, x) covar_samp(y, x) covar_pop(y, x)",
      summary: "correlation and covariance over the rows where both are known",
      example: "scores | filter indicator == \"kepatuhan\" | group province (r = corr(score, year))"
    ),
    Topic(
      name: "regr_slope", form: "regr_slope(y, x) regr_intercept(y, x) regr_r2(y, x)",
      summary: "the least-squares line of y on x and its r²",
      example:
        "scores | filter indicator == \"kepatuhan\" | group province (per_year = regr_slope(score, year))"
    ),
    Topic(
      name: "first", form: "first(x) / last(x)",
      summary: "first / last non-null value in row order",
      example: "scores | sort year | group region (since = first(year))"),
    Topic(
      name: "spark", form: "spark(y[, x])",
      summary: "sparkline of the group's values in row order, or placed by x with gaps",
      example:
        "scores | filter indicator == \"kepatuhan\" | group region (path = spark(score, year))"
    ),
  ]

  static let windows: [Topic] = [
    Topic(
      name: "lag", form: "lag(x[, n]) / lead(x[, n])",
      summary: "the value n rows before / after in the partition",
      example: "scores | derive prev = lag(score) by region_code, indicator order year"),
    Topic(
      name: "row_number", form: "row_number()", summary: "1, 2, 3 … in partition order",
      example: "scores | derive n = row_number() by region order year"),
    Topic(
      name: "dense_rank", form: "rank() / dense_rank()",
      summary: "1, 2, 2, 4 / 1, 2, 2, 3 by the order keys",
      example: "scores | derive r = rank() by year order score desc"),
    Topic(
      name: "ntile", form: "ntile(n) percent_rank() cume_dist()",
      summary: "tile number 1 … n / relative rank 0 … 1 / share of rows up to this one",
      example: "scores | derive q = ntile(4), p = percent_rank() by year order score"),
    Topic(
      name: "cumsum", form: "cumsum(x)", summary: "running sum, skipping nulls",
      example: "awards | derive n = 1 | derive total = cumsum(n) by region order year"),
  ]

  static let scalars: [Topic] = [
    Topic(
      name: "abs", form: "abs(x) round(x[, d]) floor(x) ceil(x)",
      summary: "round halves away from zero", example: "scores | derive r = round(score, 1)"),
    Topic(
      name: "sqrt", form: "sqrt(x) ln(x) exp(x) pow(x, y)",
      summary: "float results; out of domain gives null", example: "scores | derive s = sqrt(score)"
    ),
    Topic(
      name: "lower", form: "lower(s) upper(s) trim(s) length(s)",
      summary: "text functions (length in characters)", example: "scores | derive r = upper(region)"
    ),
    Topic(
      name: "contains", form: "contains(s, p) starts_with(s, p) ends_with(s, p)",
      summary: "case-sensitive tests; ~ is case-insensitive contains",
      example: "scores | filter starts_with(region, \"Kota\")"),
    Topic(
      name: "replace", form: "replace(s, from, to) substr(s, start[, len])",
      summary: "substr counts from 1", example: "scores | derive short = substr(region, 1, 4)"),
    Topic(
      name: "split_part", form: "split_part(s, separator, n)",
      summary: "the n-th piece (from 1; negative from the end) of s split at separator",
      example: "scores | derive first_note = split_part(note, \"; \", 1)"),
    Topic(
      name: "like", form: "s like p, s ilike p, s not like p",
      summary: "SQL patterns: % any run of characters, _ one; ilike ignores case",
      example: "regions | filter name like \"Kota M%\""),
    Topic(
      name: "regexp_matches",
      form:
        "regexp_matches(s, p[, \"i\"]) regexp_replace(s, p, r[, \"gi\"])"
        + " regexp_extract(s, p[, n])",
      summary: "regular expressions: test, replace (first, or all with g), extract a group",
      example: "regions | derive last_word = regexp_extract(name, \"(\\\\w+)$\", 1)"),
    Topic(
      name: "case", form: "case when c then v … [else e] end, case x when a then v … end",
      summary: "the value of the first true branch; null without else",
      example:
        "scores | derive grade = case when score >= 88 then \"A\" when score >= 78 then \"B\" else \"C\" end"
    ),
    Topic(
      name: "coalesce", form: "coalesce(a, b, …) if(cond, a, b)",
      summary: "first non-null; if gives b when cond is false or null",
      example: "scores | derive s = coalesce(score, 0.0)"),
    Topic(
      name: "year", form: "year(d) month(d) day(d)", summary: "parts of a date",
      example: "awards | derive m = month(date)"),
    Topic(
      name: "int", form: "int(x) float(x) text(x) date(s)",
      summary: "conversions; text that does not parse gives null",
      example: "scores | derive y = text(year)"),
  ]

  static let dots: [Topic] = [
    Topic(
      name: ".tables", form: ".tables", summary: "tables with row and column counts",
      example: ".tables"),
    Topic(
      name: ".schema", form: ".schema [T]", summary: "columns and types", example: ".schema scores"),
    Topic(
      name: ".sources", form: ".sources T", summary: "where a table's figures come from",
      example: ".sources scores"),
    Topic(
      name: ".load", form: ".load \"path\" [as name] [(options)]",
      summary:
        "load CSV/TSV/text, JSON, xlsx, .gz/.zst, a folder or a pattern (data/2024-*.csv); "
        + "options: delim, quote, header, skip, decimal, thousands, encoding, nulls (…), "
        + "types (col type, …), all_text, ignore_errors, sheet, filename",
      example: ".load \"data.csv\" as r (delim ',', types (x text), nulls ('-'))"),
    Topic(name: ".drop", form: ".drop T", summary: "forget a table", example: ".drop mine"),
    Topic(
      name: ".mode", form: ".mode box [wide]|csv|tsv|json|jsonl|markdown|line",
      summary:
        "result format; box hides middle columns that do not fit, box wide keeps them all (through the pager)",
      example: ".mode box wide"),
    Topic(
      name: ".timer", form: ".timer on|off", summary: "time each statement (on stderr)",
      example: ".timer on"),
    Topic(
      name: ".read", form: ".read file.pantau", summary: "run a script",
      example: ".read Notebooks/01-mojokerto-compliance.pantau"),
    Topic(
      name: ".output", form: ".output [file]",
      summary: "send results to a file (atomically); .output alone returns to the screen",
      example: ".output top.csv"),
    Topic(
      name: ".once", form: ".once file", summary: "send the next result to a file (atomically)",
      example: ".once top.csv"),
    Topic(
      name: ".maxrows", form: ".maxrows N|all", summary: "rows shown in box output",
      example: ".maxrows 100"),
    Topic(
      name: ".width", form: ".width N|auto",
      summary: "output width; auto follows the terminal again", example: ".width 100"),
    Topic(
      name: ".digits", form: ".digits N|full",
      summary: "significant digits of floats in box, line, markdown (default 6; csv, json exact)",
      example: ".digits 3"),
    Topic(
      name: ".thousands", form: ".thousands on|off",
      summary: "thousands separators in box, line and markdown numbers", example: ".thousands on"),
    Topic(
      name: ".show", form: ".show", summary: "every setting and parameter with its value",
      example: ".show"),
    Topic(
      name: ".set", form: ".set name value", summary: "set the parameter $name",
      example: ".set year 2023"),
    Topic(
      name: ".chart", form: ".chart unicode|ascii", summary: "chart characters",
      example: ".chart ascii"),
    Topic(
      name: ".explain", form: ".explain [analyze] PIPELINE",
      summary: "the operators that would run, with their stages, columns and expected rows "
        + "(nothing runs); with analyze, it runs and shows each one's rows and time",
      example: ".explain analyze scores | filter year == 2023 | group region"),
    Topic(name: ".last", form: ".last", summary: "the previous result, whole", example: ".last"),
    Topic(name: ".quit", form: ".quit", summary: "leave", example: ".quit"),
    Topic(name: ".exit", form: ".exit", summary: "leave (the same as .quit)", example: ".exit"),
    Topic(
      name: ".sql",
      form: ".sql PIPELINE | .sql dialect duckdb|postgres|sqlite|spark | .sql table T",
      summary: "the SQL a pipeline stands for, one CTE per stage; the dialect; a table as SQL",
      example: ".sql scores | filter year == 2023 | group province"),
    Topic(
      name: ".connect", form: ".connect [postgres://USER@HOST:PORT/DB | 'host=… dbname=…']",
      summary: "a PostgreSQL server's tables by name; pipelines over them run there",
      example: ".connect"),
    Topic(
      name: ".disconnect", form: ".disconnect", summary: "forget the server and its tables",
      example: ".disconnect"),
    Topic(
      name: ".help", form: ".help [topic]", summary: "this help, or one topic",
      example: ".help group"),
  ]

  /// The overview, or one topic.
  public static func text(topic: String?) -> String {
    guard let key = topic else { return overview() }
    if key == "functions" || key == "stages" || key == "dot" {
      let list = key == "stages" ? stages : key == "dot" ? dots : aggregates + windows + scalars
      return list.map { "  \($0.form)\n      \($0.summary)\n" }.joined()
    }
    let aliases = [
      "max": "min", "mean": "avg", "last": "first", "lead": "lag",
      "round": "abs", "floor": "abs", "ceil": "abs", "ln": "sqrt", "exp": "sqrt", "pow": "sqrt",
      "upper": "lower", "trim": "lower", "length": "lower", "starts_with": "contains",
      "ends_with": "contains", "substr": "replace", "if": "coalesce", "month": "year",
      "day": "year", "float": "int", "text": "int", "date": "int",
    ]
    let name = aliases[key] ?? aliases["." + key] ?? key
    guard let t = topics.first(where: { $0.name == name || $0.name == "." + name }) else {
      return "no help on \"\(key)\"; .help lists the topics\n"
    }
    return "\(t.form)\n  \(t.summary)\n  example: \(t.example)\n"
  }

  static func overview() -> String {
    """
    pantau: pipelines over tables.  source | stage | stage …

    stages:     \(stages.prefix(15).map(\.name).joined(separator: " "))
    charts:     trend bar hist
    aggregates: \(aggregates.map(\.name).joined(separator: " ")) max mean last
    windows:    lag lead row_number rank dense_rank cumsum (and any aggregate)
    functions:  abs round floor ceil sqrt ln exp pow lower upper trim length starts_with
                ends_with contains replace substr split_part coalesce if year month day int float
                text date
    commands:   \(dots.map(\.name).joined(separator: " "))

    .help TOPIC shows one (e.g. .help group, .help lag, .help .load);
    .help stages / .help functions / .help dot list them with their forms.

    """
  }
}
