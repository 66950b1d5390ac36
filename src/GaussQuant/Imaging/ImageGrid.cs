namespace GaussQuant.Imaging;

/// <summary>
/// Lays images out in rows, side by side with a gap between them, as one picture (for training logs such as
/// "inputs | VQ reconstructions | Gaussian reconstructions").
/// </summary>
public static class ImageGrid
{
    /// <param name="rows">The rows, top to bottom; each row's images left to right. Rows may differ in length.</param>
    /// <param name="gap">Pixels between neighbouring images and around the border.</param>
    /// <param name="background">The grey level of the gaps.</param>
    public static RgbImage Compose(IReadOnlyList<IReadOnlyList<RgbImage>> rows, int gap = 2, byte background = 255)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0 || rows.All(row => row.Count == 0))
            throw new ArgumentException("a grid needs at least one image");
        if (gap < 0)
            throw new ArgumentException($"the gap must not be negative, not {gap}");

        // Each column is as wide as its widest image and each row as tall as its tallest; images sit top-left.
        int columns = rows.Max(row => row.Count);
        var columnWidths = Enumerable.Range(0, columns)
            .Select(column => rows.Where(row => column < row.Count).Max(row => row[column].Width)).ToArray();
        var rowHeights = rows.Select(row => row.Count == 0 ? 0 : row.Max(image => image.Height)).ToArray();
        int width = columnWidths.Sum() + gap * (columns + 1);
        int height = rowHeights.Sum() + gap * (rows.Count + 1);

        var pixels = new byte[3L * width * height];
        Array.Fill(pixels, background);
        int top = gap;
        for (int row = 0; row < rows.Count; row++)
        {
            int left = gap;
            for (int column = 0; column < rows[row].Count; column++)
            {
                var image = rows[row][column];
                for (int line = 0; line < image.Height; line++)
                    image.Pixels.AsSpan(3 * line * image.Width, 3 * image.Width)
                        .CopyTo(pixels.AsSpan(3 * ((top + line) * width + left)));
                left += columnWidths[column] + gap;
            }
            top += rowHeights[row] + gap;
        }
        return new RgbImage(width, height, pixels);
    }
}
