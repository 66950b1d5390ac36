using System.Globalization;
using System.Text;
using GaussQuant.IO;

namespace GaussQuant.Training;

/// <summary>
/// <c>metrics.csv</c>: one row per logged step with the columns of <see cref="MetricTable"/> (which TensorBoard shares), appended as the run goes (a kill
/// can at worst cut the last row short). On resume, rows after the checkpoint's step (logged by the interrupted run,
/// and about to be logged again) and any cut row are dropped, and the file is rewritten through a temporary file, so a
/// kill during the rewrite leaves the old history whole; a missing header is restored. Rows written under an older set
/// of columns (a run started before a column was added) are kept, laid out under today's header with the new columns
/// empty, so resuming with a newer gq never loses the history.
/// </summary>
internal sealed class MetricsCsv
{
    private readonly string path;

    public MetricsCsv(string path, long? keepUpToStep)
    {
        this.path = path;
        string[] columns = [.. MetricTable.Columns.Select(column => column.CsvName)];
        var lines = new List<string> { string.Join(",", columns) };
        if (keepUpToStep is long step && File.Exists(path))
            lines.AddRange(RowsUpTo(File.ReadLines(path), step, columns));
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
    }

    public void Append(TrainingStepMetrics m)
    {
        var line = new StringBuilder();
        foreach (var value in MetricTable.Columns.Select(column => column.Value(m)))
        {
            if (line.Length > 0) line.Append(',');
            line.Append(value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        File.AppendAllText(path, line.Append('\n').ToString());
    }

    /// <summary>
    /// The whole data rows (not a row cut short by a kill) of steps at or before <paramref name="step"/>, each re-laid
    /// from the file's own header to <paramref name="columns"/>. A file without a header has today's columns.
    /// </summary>
    private static IEnumerable<string> RowsUpTo(IEnumerable<string> lines, long step, string[] columns)
    {
        string[]? header = null;
        foreach (var line in lines)
        {
            var cells = line.Split(',');
            if (header is null)
            {
                header = cells[0] == columns[0] ? cells : columns;
                if (header == cells) continue;
            }
            if (cells.Length != header.Length
                || !long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out long rowStep) || rowStep > step) continue;
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++) byName.TryAdd(header[i], cells[i]);
            yield return string.Join(",", columns.Select(column => byName.GetValueOrDefault(column, "")));
        }
    }
}
