namespace GaussQuant.Imaging;

/// <summary>
/// A small pixel font of our own (5 columns; 7 rows above the baseline and 2 for descenders), drawn into <see cref="RgbImage"/> pixels at an integer scale. Labels on
/// generated pictures need no system font this way: a bare Debian or container image has none, and SkiaSharp's
/// dependency-free build then draws no glyphs at all. It holds what our labels use: digits, lower-case letters, the
/// capitals of PSNR and dB, a few signs and an arrow.
/// </summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 9;

    /// <summary>Pixels from one glyph's left edge to the next one's, at scale 1 (the glyph and a blank column).</summary>
    public const int Advance = GlyphWidth + 1;

    // Each glyph is 9 rows of 5 columns, top to bottom, the baseline under the seventh; '#' is ink.
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        [' '] = [".....", ".....", ".....", ".....", ".....", ".....", ".....", ".....", "....."],
        ['0'] = [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###.", ".....", "....."],
        ['1'] = ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###.", ".....", "....."],
        ['2'] = [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####", ".....", "....."],
        ['3'] = ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###.", ".....", "....."],
        ['4'] = ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#.", ".....", "....."],
        ['5'] = ["#####", "#....", "####.", "....#", "....#", "#...#", ".###.", ".....", "....."],
        ['6'] = ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###.", ".....", "....."],
        ['7'] = ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#...", ".....", "....."],
        ['8'] = [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###.", ".....", "....."],
        ['9'] = [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##..", ".....", "....."],
        ['.'] = [".....", ".....", ".....", ".....", ".....", ".##..", ".##..", ".....", "....."],
        ['-'] = [".....", ".....", ".....", "#####", ".....", ".....", ".....", ".....", "....."],
        [':'] = [".....", ".##..", ".##..", ".....", ".##..", ".##..", ".....", ".....", "....."],
        ['→'] = [".....", "..#..", "...#.", "#####", "...#.", "..#..", ".....", ".....", "....."],
        ['a'] = [".....", ".....", ".###.", "....#", ".####", "#...#", ".####", ".....", "....."],
        ['b'] = ["#....", "#....", "#.##.", "##..#", "#...#", "#...#", "####.", ".....", "....."],
        ['c'] = [".....", ".....", ".###.", "#....", "#....", "#...#", ".###.", ".....", "....."],
        ['d'] = ["....#", "....#", ".##.#", "#..##", "#...#", "#...#", ".####", ".....", "....."],
        ['e'] = [".....", ".....", ".###.", "#...#", "#####", "#....", ".###.", ".....", "....."],
        ['f'] = ["..##.", ".#..#", ".#...", "###..", ".#...", ".#...", ".#...", ".....", "....."],
        ['g'] = [".....", ".....", ".####", "#...#", "#...#", "#...#", ".####", "....#", ".###."],
        ['h'] = ["#....", "#....", "#.##.", "##..#", "#...#", "#...#", "#...#", ".....", "....."],
        ['i'] = ["..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###.", ".....", "....."],
        ['j'] = ["...#.", ".....", "..##.", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."],
        ['k'] = ["#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#.", ".....", "....."],
        ['l'] = [".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###.", ".....", "....."],
        ['m'] = [".....", ".....", "##.#.", "#.#.#", "#.#.#", "#...#", "#...#", ".....", "....."],
        ['n'] = [".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#", ".....", "....."],
        ['o'] = [".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###.", ".....", "....."],
        ['p'] = [".....", ".....", "####.", "#...#", "#...#", "#...#", "####.", "#....", "#...."],
        ['q'] = [".....", ".....", ".####", "#...#", "#...#", "#...#", ".####", "....#", "....#"],
        ['r'] = [".....", ".....", "#.##.", "##..#", "#....", "#....", "#....", ".....", "....."],
        ['s'] = [".....", ".....", ".####", "#....", ".###.", "....#", "####.", ".....", "....."],
        ['t'] = [".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##.", ".....", "....."],
        ['u'] = [".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#", ".....", "....."],
        ['v'] = [".....", ".....", "#...#", "#...#", "#...#", ".#.#.", "..#..", ".....", "....."],
        ['w'] = [".....", ".....", "#...#", "#...#", "#.#.#", "#.#.#", ".#.#.", ".....", "....."],
        ['x'] = [".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", ".....", "....."],
        ['y'] = [".....", ".....", "#...#", "#...#", "#...#", "#...#", ".####", "....#", ".###."],
        ['z'] = [".....", ".....", "#####", "...#.", "..#..", ".#...", "#####", ".....", "....."],
        ['B'] = ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####.", ".....", "....."],
        ['N'] = ["#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", ".....", "....."],
        ['P'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#....", ".....", "....."],
        ['R'] = ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#", ".....", "....."],
        ['S'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####.", ".....", "....."],
    };

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (no trailing blank column).</summary>
    public static int Width(string text, int scale) => text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;

    public static int Height(int scale) => GlyphHeight * scale;

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (<paramref name="left"/>, <paramref name="top"/>); ink outside the image is dropped.</summary>
    /// <exception cref="ArgumentException">when the font has no glyph for a character.</exception>
    public static void Draw(RgbImage image, string text, int left, int top, int scale, byte ink)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        if (scale < 1)
            throw new ArgumentException($"the scale must be at least 1, not {scale}");
        for (int index = 0; index < text.Length; index++)
        {
            if (!Glyphs.TryGetValue(text[index], out string[]? glyph))
                throw new ArgumentException($"the label font has no glyph for '{text[index]}' (in \"{text}\")");
            int glyphLeft = left + index * Advance * scale;
            for (int row = 0; row < GlyphHeight; row++)
                for (int column = 0; column < GlyphWidth; column++)
                    if (glyph[row][column] == '#')
                        Fill(image, glyphLeft + column * scale, top + row * scale, scale, ink);
        }
    }

    private static void Fill(RgbImage image, int left, int top, int side, byte ink)
    {
        for (int y = Math.Max(0, top); y < Math.Min(image.Height, top + side); y++)
            for (int x = Math.Max(0, left); x < Math.Min(image.Width, left + side); x++)
                image.Pixels.AsSpan(3 * (y * image.Width + x), 3).Fill(ink);
    }
}
