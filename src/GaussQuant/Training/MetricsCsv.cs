using System.Globalization;
using System.Text;
using GaussQuant.IO;

namespace GaussQuant.Training;

/// <summary>
/// <c>metrics.csv</c>: one row per logged step with the columns of <see cref="MetricTable"/> (which TensorBoard shares), appended as the run goes (a kill
/// can at worst cut the last row short). On resume, rows after the checkpoint's step (logged by the interrupted run,
/// and about to be logged again) and any cut row are dropped, and the file is rewritten through a temporary file, so a
/// kill during the rewrite leaves the old history whole; a missing header is restored.
/// </summary>
internal sealed class MetricsCsv
{
    private readonly string path;

    public MetricsCsv(string path, long? keepUpToStep)
    {
        this.path = path;
        var lines = new List<string> { string.Join(",", MetricTable.Columns.Select(column => column.CsvName)) };
        if (keepUpToStep is long step && File.Exists(path))
            lines.AddRange(File.ReadLines(path).Where(line => IsRowUpTo(line, step)));
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

    /// <summary>A whole data row (not the header, not a row cut short by a kill) of a step at or before <paramref name="step"/>.</summary>
    private static bool IsRowUpTo(string line, long step)
    {
        var cells = line.Split(',');
        return cells.Length == MetricTable.Columns.Count
               && long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out long rowStep) && rowStep <= step;
    }
}
