namespace GaussQuant.Imaging;

/// <summary>Walks a JPEG's marker segments to tell whether the file goes on to its end-of-image marker.</summary>
internal static class JpegStructure
{
    private const byte MarkerPrefix = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;

    /// <summary>
    /// True when the segments, and the entropy-coded data after each start-of-scan, lead to an end-of-image
    /// marker before the bytes run out. Stray bytes between segments are skipped, as libjpeg skips them.
    /// </summary>
    public static bool ReachesEndOfImage(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || bytes[0] != MarkerPrefix || bytes[1] != StartOfImage)
            return false;
        int position = 2;
        while (true)
        {
            int next = bytes[position..].IndexOf(MarkerPrefix);
            if (next < 0)
                return false;
            position += next + 1;
            while (position < bytes.Length && bytes[position] == MarkerPrefix)
                position++; // fill bytes
            if (position >= bytes.Length)
                return false;
            byte marker = bytes[position++];
            // In the entropy-coded data after a start-of-scan segment, 0xFF 0x00 is an escaped data byte and
            // 0xFF 0xD0..0xD7 a restart marker; searching on for the next marker skips that data.
            if (marker == 0x00 || IsRestart(marker))
                continue;
            if (marker == EndOfImage)
                return true;
            if (marker == 0x01)
                continue; // TEM stands alone
            if (position + 2 > bytes.Length)
                return false;
            int length = (bytes[position] << 8) | bytes[position + 1];
            if (length < 2)
                return false;
            position += length;
            if (position > bytes.Length)
                return false;
        }
    }

    private static bool IsRestart(byte marker) => marker is >= 0xD0 and <= 0xD7;
}
