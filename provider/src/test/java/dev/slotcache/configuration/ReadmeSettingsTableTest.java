package dev.slotcache.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README's settings table has exactly one row per setting, giving its scope, default and allowed values as the
 * setting's definition does. (Replaces a check that the key appeared anywhere in the README, which the per-cache
 * paragraph satisfied for settings missing from the table.)
 */
class ReadmeSettingsTableTest {

  @Test
  void everySetting_hasARowWithItsScopeDefaultAndAllowedValues() throws IOException {
    Map<String, List<String>> rows = settingsTable();
    for (SlotcacheSettings.Setting<?> setting : SlotcacheSettings.all()) {
      List<String> row = rows.get(setting.key());
      assertTrue(row != null, setting.key() + " has no row in README.md's settings table");
      assertEquals(5, row.size(), "cells of " + row);
      assertEquals(setting.scope().description(), row.get(1), "scope of " + setting.key());
      if (setting.defaultValue() != null) {
        assertEquals("`" + setting.defaultValue() + "`", row.get(2), "default of " + setting.key());
      }
      assertTrue(row.get(3).contains(setting.allowed()),
          "values of " + setting.key() + ": README says '" + row.get(3) + "', the setting '" + setting.allowed() + "'");
    }
    Set<String> known = SlotcacheSettings.all().stream().map(SlotcacheSettings.Setting::key).collect(Collectors.toSet());
    assertTrue(known.containsAll(rows.keySet()), "README.md lists settings that do not exist: " + rows.keySet());
  }

  /** The rows of the table under "## Configuration", by the key in their first cell. */
  private static Map<String, List<String>> settingsTable() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("../README.md"));
    int start = lines.indexOf("## Configuration");
    assertTrue(start >= 0, "README.md has no '## Configuration' section");
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("| `" + SlotcacheSettings.PREFIX)) {
        List<String> cells = List.of(line.substring(1, line.length() - 1).split(" \\| ")).stream()
            .map(String::trim).toList();
        assertTrue(rows.put(cells.get(0).replace("`", ""), cells) == null, "two rows for " + cells.get(0));
      }
    }
    return rows;
  }
}
