package io.iottokens.keycloak.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the console tests: Debian's {@code chromium} driven through Debian's {@code chromedriver}
 * ({@code .ci/run} installs both; nothing is downloaded at test time: Selenium Manager is never asked because the
 * browser and the driver are given). Each browser has its own empty profile. Screenshots go to
 * {@code target/screenshots/<name>.png} on every run.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = System.getProperty("iottokens.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("iottokens.chromedriver", "/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WebDriver driver;
    private final WebDriverWait wait;
    private final Path profile;

    private Browser(WebDriver driver, Path profile) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
        this.profile = profile;
    }

    /** A fresh headless browser; fails (never skips) with what to install when the browser or the driver is missing. */
    public static Browser open() {
        for (String exe : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!new File(exe).canExecute()) {
                throw new AssertionError(exe + " not found: the console tests need Debian's chromium and chromium-driver"
                        + " packages (apt-get install chromium chromium-driver; .ci/run installs them)");
            }
        }
        try {
            Path profile = Files.createTempDirectory(TestEnv.workDir(), "chromium-profile");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // flags measured on this machine kind: without the background-networking ones Chromium keeps trying
            // closed outside hosts
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-default-apps", "--window-size=1400,900", "--lang=en-US",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public Browser go(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Signs in on Keycloak's login page if it is shown (the iot realm asks for the username first when
     * organizations are on, the master realm for both at once).
     */
    public Browser login(String username, String password) {
        WebElement user = waitFor(By.id("username"));
        user.clear();
        user.sendKeys(username);
        if (driver.findElements(By.id("password")).isEmpty()) {
            driver.findElement(By.id("kc-login")).click();
        }
        WebElement pass = waitFor(By.id("password"));
        pass.sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        return this;
    }

    public static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    public WebElement waitFor(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public void waitGone(By by) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    public <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** Clicks when clickable (scrolled into view first, PatternFly tables can be wider than the window). */
    public Browser click(By by) {
        WebElement e = wait.until(ExpectedConditions.elementToBeClickable(by));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
        return this;
    }

    public Browser click(WebElement within, By by) {
        WebElement e = wait.until(d -> {
            WebElement found = within.findElement(by);
            return found.isDisplayed() && found.isEnabled() ? found : null;
        });
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
        return this;
    }

    public Browser type(By by, String text) {
        WebElement e = waitFor(by);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    public String text(By by) {
        return waitFor(by).getText();
    }

    /** Waits until the element's text contains {@code part}; returns the text. */
    public String waitForText(By by, String part) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, part));
        return driver.findElement(by).getText();
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Writes {@code target/screenshots/<name>.png} (the whole window) and returns its path. */
    public Path screenshot(String name) {
        try {
            Path dir = TestEnv.workDir().resolve("screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover profile under target/ is harmless
            }
        }
    }
}
