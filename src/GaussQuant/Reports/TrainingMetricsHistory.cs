using System.Globalization;

namespace GaussQuant.Reports;

/// <summary>
/// The rows of a run's <c>metrics.csv</c> (see <c>MetricsCsv</c>), read by column name, so a file from an older version
/// with fewer columns still reads. Rows a kill cut short, or that do not parse, are left out and counted.
/// </summary>
public sealed class TrainingMetricsHistory
{
    private readonly Dictionary<string, int> columns;
    private readonly List<(long Step, string Phase, double[] Values)> rows;

    private TrainingMetricsHistory(Dictionary<string, int> columns, List<(long, string, double[])> rows, int unreadableRows)
    {
        this.columns = columns;
        this.rows = rows;
        UnreadableRows = unreadableRows;
    }

    public int Rows => rows.Count;

    public int UnreadableRows { get; }

    public long? LastStep => rows.Count == 0 ? null : rows[^1].Step;

    public IReadOnlyCollection<string> Columns => columns.Keys;

    public static TrainingMetricsHistory Read(string path)
    {
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty: a metrics.csv starts with a header row");
        var names = header.Split(',');
        var columns = names.Select((name, index) => (name, index)).ToDictionary(pair => pair.name, pair => pair.index);
        if (!columns.ContainsKey("step"))
            throw new InvalidDataException($"{path}: the header has no 'step' column, so this is not a GaussQuant metrics.csv (found: {header})");
        int stepColumn = columns["step"], phaseColumn = columns.GetValueOrDefault("phase", -1);
        var rows = new List<(long, string, double[])>();
        int unreadable = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0)
                continue;
            var cells = line.Split(',');
            if (cells.Length != names.Length || !long.TryParse(cells[stepColumn], NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            {
                unreadable++;
                continue;
            }
            var values = cells.Select(cell => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN).ToArray();
            rows.Add((step, phaseColumn >= 0 ? cells[phaseColumn] : "ae", values));
        }
        return new TrainingMetricsHistory(columns, rows, unreadable);
    }

    /// <summary>(step, value) of a column over the rows of one phase (<c>ae</c> / <c>disc</c>, null: all); empty when the column is absent.</summary>
    public IReadOnlyList<(double Step, double Value)> Series(string column, string? phase = null)
    {
        if (!columns.TryGetValue(column, out int index))
            return [];
        return rows.Where(row => phase is null || row.Phase == phase).Select(row => ((double)row.Step, row.Values[index])).ToList();
    }

    /// <summary>Whether a column holds any value other than 0 (the GAN terms are 0 until the discriminator starts).</summary>
    public bool HasNonZero(string column) => Series(column).Any(point => point.Value != 0 && !double.IsNaN(point.Value));
}
