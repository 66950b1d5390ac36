using System.Globalization;

namespace GaussQuant.Tokens;

/// <summary>File names for decoded images: from the inputs' names when a manifest says them, else numbered.</summary>
public static class OutputImageNames
{
    /// <summary>
    /// Each input's stem + ".png". When stems repeat (ignoring letter case, so no two names collide on any file
    /// system), later ones get the first free suffix "_1", "_2", …, in input order.
    /// </summary>
    public static IReadOnlyList<string> FromInputs(IReadOnlyList<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>(inputs.Count);
        foreach (string input in inputs)
        {
            string stem = Path.GetFileNameWithoutExtension(input);
            if (stem.Length == 0)
                stem = "image";
            string name = stem;
            for (int suffix = 1; !taken.Add(name); suffix++)
                name = $"{stem}_{suffix}";
            names.Add(name + ".png");
        }
        return names;
    }

    /// <summary>"000000.png", "000001.png", … for <paramref name="count"/> images.</summary>
    public static IReadOnlyList<string> Numbered(int count)
    {
        if (count < 0)
            throw new ArgumentException($"the image count must not be negative, not {count}");
        return Enumerable.Range(0, count).Select(index => Numbered(index, count)).ToList();
    }

    /// <summary>The name of image <paramref name="index"/> of <paramref name="count"/>: six digits, more once the count needs them.</summary>
    public static string Numbered(int index, int count)
    {
        int digits = Math.Max(6, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        return index.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0') + ".png";
    }
}
